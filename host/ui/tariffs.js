// The tariff console (admin key): a pack's parameters as a form, from the values of the newest
// version in force and their schema (`GET /v1/admin/packs/{pack}/params`, with each parameter's
// `doc:` text); the impact of the changed values (`POST …/params?dry_run=true`: golden cases and
// recorded requests whose amounts change, totals before and after per customer); activation,
// optionally as a new version from a date with the golden cases' changed amounts accepted; and
// the history, with a rollback of the last activation.
import { el } from "/ui/dom.js";
import { currentLang, t } from "/ui/i18n.js";
import { SessionEnded, api } from "/ui/session.js";

const $ = (id) => document.getElementById(id);

/** The values shown, by path (`setup.tiers[2].price`), as they were loaded. */
let loaded = new Map();
let current = null;

/** The schema of `path` under `schema`, following properties and array items. */
function schemaAt(schema, path) {
  let s = schema ?? {};
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    const base = Array.isArray(s.anyOf) ? (s.anyOf.find((x) => x.type === "object" || x.type === "array") ?? s) : s;
    s = /^\d+$/.test(part) ? (base.items ?? {}) : (base.properties?.[part] ?? {});
  }
  return s;
}

function kindOf(s, value) {
  if (Array.isArray(s.enum)) return "enum";
  if (s.type === "boolean" || typeof value === "boolean") return "boolean";
  if (s.type === "integer") return "integer";
  if (Array.isArray(s.anyOf) && s.anyOf.some((x) => x.type === "number")) return "decimal";
  if (s.type === "number") return "decimal";
  if (s.format === "date") return "date";
  return "text";
}

const fid = (path) => `tf-${path}`;

/** The fields of `value` at `path`: a fieldset for each mapping and list item, an input per value. */
function fields(value, path, schema) {
  if (Array.isArray(value)) {
    return value.map((item, i) => fields(item, `${path}[${i}]`, schema));
  }
  if (value && typeof value === "object") {
    const set = el("fieldset", {}, el("legend", { text: path || "—" }));
    for (const [k, v] of Object.entries(value)) set.append(...[fields(v, path ? `${path}.${k}` : k, schema)].flat(Infinity));
    // A top-level group folds, so a long tariff stays readable; its doc says what it holds.
    if (path.includes(".") || path.includes("[")) return set;
    const doc = schemaAt(schema, path).description;
    return el("details", { class: "group" }, el("summary", {}, el("strong", { text: path }), doc ? ` — ${doc}` : ""), set);
  }
  const s = schemaAt(schema, path);
  const kind = kindOf(s, value);
  const id = fid(path);
  const doc = s.description ? el("small", { id: `${id}-hint`, text: s.description }) : null;
  let input;
  if (kind === "enum") {
    input = el("select", { id }, ...s.enum.map((o) => el("option", { value: String(o), text: String(o) })));
  } else if (kind === "boolean") {
    input = el("select", { id }, el("option", { value: "true", text: "true" }), el("option", { value: "false", text: "false" }));
  } else {
    input = el("input", { id, type: kind === "date" ? "date" : "text", inputmode: kind === "decimal" || kind === "integer" ? "decimal" : undefined });
  }
  input.value = String(value ?? "");
  input.dataset.path = path;
  input.dataset.kind = kind;
  if (doc) input.setAttribute("aria-describedby", `${id}-hint`);
  loaded.set(path, String(value ?? ""));
  return el("div", { class: "field" }, el("label", { for: id, text: path.split(".").pop() }), input, doc, el("span", { class: "error", id: `${id}-error`, role: "alert" }));
}

function showError(path, message) {
  const box = document.getElementById(`${fid(path)}-error`);
  const input = document.getElementById(fid(path));
  if (!box || !input) return false;
  box.textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  return true;
}

/** The changed values, checked here first: `null` when one is of the wrong type (shown at it). */
function changed() {
  const set = {};
  let ok = true;
  for (const input of $("tf-fields").querySelectorAll("[data-path]")) {
    const path = input.dataset.path;
    showError(path, "");
    const text = input.value.trim();
    if (text === loaded.get(path)) continue;
    const kind = input.dataset.kind;
    if (kind === "decimal" && !/^-?\d+(\.\d+)?$/.test(text)) {
      showError(path, t("not_number"));
      ok = false;
    } else if (kind === "integer" && !/^-?\d+$/.test(text)) {
      showError(path, t("not_integer"));
      ok = false;
    } else if (kind === "integer") set[path] = Number(text);
    else if (kind === "boolean") set[path] = text === "true";
    else set[path] = text;
  }
  return ok ? set : null;
}

function money(v) {
  const n = Number(v);
  return Number.isFinite(n) ? new Intl.NumberFormat(`${currentLang()}-BE`, { style: "currency", currency: "EUR" }).format(n) : String(v ?? "");
}

function table(caption, heads, rows) {
  return el(
    "table",
    { class: "invoice" },
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", text: t(h) })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: String(c ?? "") }))))),
  );
}

/** A refusal from the service: each problem at its field when it names one, else listed. */
function problem(p) {
  const listed = [];
  for (const e of p.errors ?? []) {
    const path = (e.path ?? "").match(/^set\["(.*)"\]$/)?.[1];
    if (e.path === "effective_from") $("tf-effective-error").textContent = e.message;
    else if (!path || !showError(path, e.message)) listed.push(el("li", { text: `${e.path}: ${e.message}` }));
  }
  for (const d of p.diagnostics ?? []) placeDiagnostic(d, listed);
  return [el("p", { class: "error", role: "alert", text: p.detail ?? String(p) }), listed.length ? el("ul", {}, ...listed) : null];
}

/** A load problem of the changed pack: at the field it names (`parameter \`x\`…`), else listed. */
function placeDiagnostic(d, listed) {
  const named = (d.message ?? "").match(/`([^`]+)`/)?.[1];
  if (!named || !showError(named, d.message)) {
    const where = d.location ? ` (${d.location.file}:${d.location.line}:${d.location.column})` : "";
    listed.push(el("li", { text: `${d.message}${where}` }));
  }
}

function report(answer) {
  const out = [];
  if (answer.changes?.length) {
    out.push(table(t("changes"), ["parameter", "before", "after"], answer.changes.map((c) => [c.path, c.from, c.to])));
  }
  const run = answer.dry_run;
  if (run) {
    const listed = [];
    for (const d of run.diagnostics ?? []) placeDiagnostic(d, listed);
    if (run.would_activate) out.push(el("p", { class: "ok", role: "status", text: t("would_activate") }));
    else out.push(el("p", { class: "error", role: "alert", text: `${t("would_not_activate")}${run.failed_cases?.length ?? 0} ${t("failing_cases")}` }), listed.length ? el("ul", {}, ...listed) : null);
    const money_ = run.impact?.money;
    if (money_) {
      const rows = [[t("all_tenants"), money_.total.inputs, money(money_.total.before), money(money_.total.after), money(money_.total.difference)]];
      for (const m of money_.per_tenant ?? []) rows.push([m.tenant ?? "—", m.inputs, money(m.before), money(m.after), money(m.difference)]);
      out.push(table(t("money_impact"), ["tenant", "requests", "before", "after", "difference"], rows));
    }
    const changedOutputs = run.impact?.changed ?? [];
    if (changedOutputs.length) {
      out.push(el("h3", { text: `${t("changed_outputs")} (${changedOutputs.length})` }), el("ul", { class: "changed" }, ...changedOutputs.slice(0, 20).map((c) =>
        el("li", { text: `${c.source}: ${c.fields.slice(0, 3).map((f) => `${f.path} ${JSON.stringify(f.before ?? null)} → ${JSON.stringify(f.after ?? null)}`).join(", ")}` }))));
    }
  }
  if (answer.activated) {
    const a = answer.activated.activated;
    const accepted = (answer.accepted ?? []).flatMap((f) => f.cases).filter((c) => c.left_because == null).length;
    out.push(el("p", { class: "ok", role: "status", "data-activated": a.version, text: `${t("activated")}${a.version} (${a.effective_from})${accepted ? ` — ${accepted}${t("accepted_cases")}` : ""}` }));
  }
  return out.filter(Boolean);
}

async function send(dryRun) {
  $("tf-result").replaceChildren();
  $("tf-effective-error").textContent = "";
  const set = changed();
  if (!set) return;
  if (!Object.keys(set).length) {
    $("tf-result").replaceChildren(el("p", { role: "status", text: t("no_change") }));
    return;
  }
  const body = { set, accept_expectations: $("tf-accept").checked };
  if ($("tf-effective").value) body.effective_from = $("tf-effective").value;
  const resp = await api("POST", `/v1/admin/packs/${current}/params${dryRun ? "?dry_run=true" : ""}`, JSON.stringify(body));
  $("tf-result").replaceChildren(...(resp.ok ? report(resp.data) : problem(resp.data)).filter(Boolean));
  if (resp.ok && !dryRun) await load(current);
}

async function history(name) {
  const resp = await api("GET", `/v1/packs/${name}`);
  const rows = (resp.data.history ?? []).map((h) => [h.version, h.effective_from, h.activated_at, h.rolled_back_at ?? "", h.source]);
  const undo = el("button", { type: "button", id: "tf-rollback", text: t("roll_back") });
  undo.onclick = async () => {
    const r = await api("POST", `/v1/admin/packs/${name}/rollback`);
    const now = r.ok ? (r.data.serving ?? []).map((v) => `${v.version} (${v.effective_from})`).join(", ") : "";
    $("tf-result").replaceChildren(r.ok ? el("p", { class: "ok", role: "status", text: `${t("rolled_back_to")}${now}` }) : el("p", { class: "error", role: "alert", text: r.data.detail ?? "" }));
    await load(name);
  };
  $("tf-history").replaceChildren(table(t("history"), ["version", "in_force_from", "activated_at", "rolled_back", "source"], rows.reverse()), undo);
}

async function load(name) {
  current = name;
  loaded = new Map();
  const resp = await api("GET", `/v1/admin/packs/${name}/params`);
  if (!resp.ok) {
    $("tf-message").textContent = resp.status === 403 ? t("admin_only") : (resp.data.detail ?? "");
    $("tf-form").hidden = true;
    return;
  }
  $("tf-message").textContent = "";
  $("tf-form").hidden = false;
  const p = resp.data;
  $("tf-version").textContent = `${t("version")} ${p.version} — ${p.effective_from} — ${p.files.join(", ")}`;
  const rendered = Object.entries(p.values).map(([k, v]) => fields(v, k, p.schema));
  $("tf-fields").replaceChildren(...rendered.flat(Infinity));
  await history(name);
}

let wired = false;

/** Open the console: list the packs, load the first (or the one picked). */
export async function openTariffs() {
  if (!wired) {
    wired = true;
    // Picking the pack already shown (or being loaded) keeps what was typed in its fields.
    $("tf-pack").onchange = () => {
      if ($("tf-pack").value !== current) load($("tf-pack").value).catch(ignoreEnded);
    };
    $("tf-form").onsubmit = (e) => {
      e.preventDefault();
      send(true).catch(ignoreEnded);
    };
    $("tf-activate").onclick = () => send(false).catch(ignoreEnded);
  }
  const resp = await api("GET", "/v1/packs");
  const names = (resp.data.packs ?? []).map((p) => p.name);
  const keep = names.includes($("tf-pack").value) ? $("tf-pack").value : names[0];
  $("tf-pack").replaceChildren(...names.map((n) => el("option", { value: n, text: n })));
  if (keep) {
    $("tf-pack").value = keep;
    await load(keep);
  }
}

function ignoreEnded(err) {
  if (!(err instanceof SessionEnded)) console.error(err);
}

// The workbench page: sign-in with an API key (kept in sessionStorage for this tab only) and the
// playground, which evaluates any entry of any loaded pack with a form generated from the entry's
// input schema (from /openapi.json) and shows the answer as an invoice table or as JSON.
import { el } from "/ui/dom.js";
import { LANGS, TEXTS, currentLang, pick, setLang, t, translate } from "/ui/i18n.js";
import { KEY, SessionEnded, api } from "/ui/session.js";
import { openModels } from "/ui/models.js";
import { openTariffs } from "/ui/tariffs.js";

const $ = (id) => document.getElementById(id);

function show(signedIn) {
  $("signin").hidden = signedIn;
  $("nav").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  if (!signedIn) for (const id of SECTIONS) $(id).hidden = true;
}

const SECTIONS = ["playground", "tariffs", "models"];
const OPEN = { playground: () => openPlayground(), tariffs: () => openTariffs(), models: () => openModels() };

/** Show the section the address names (`#/tariffs`, `#/models`, else the playground). */
async function route() {
  if (!sessionStorage.getItem(KEY)) return show(false);
  show(true);
  const wanted = location.hash.replace("#/", "");
  const section = SECTIONS.includes(wanted) ? wanted : "playground";
  for (const id of SECTIONS) $(id).hidden = id !== section;
  try {
    await OPEN[section]();
  } catch (err) {
    if (!(err instanceof SessionEnded)) throw err;
  }
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  show(false);
  $("signin-error").textContent = message ?? "";
  $("key").value = "";
  $("key").focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = $("key").value.trim();
  const resp = await fetch("/v1/packs", { headers: { Authorization: `Bearer ${key}`, "Accept-Language": currentLang() } });
  if (!resp.ok) {
    $("signin-error").textContent = t("key_refused");
    return;
  }
  sessionStorage.setItem(KEY, key);
  $("key").value = "";
  $("signin-error").textContent = "";
  await route();
}

// ---- schemas -------------------------------------------------------------------------------

let doc = null;

function resolve(schema) {
  let s = schema ?? {};
  while (s.$ref) s = doc.components.schemas[decodeURIComponent(s.$ref.split("/").pop())] ?? {};
  if (s.allOf && s.allOf.length === 1) s = { ...resolve(s.allOf[0]), description: s.description ?? s.allOf[0].description };
  return s;
}

/** The schema without its `null` alternative, and whether it had one (an optional field). */
function unwrap(schema) {
  const s = resolve(schema);
  if (Array.isArray(s.anyOf) && s.anyOf.some((x) => x.type === "null")) {
    const rest = s.anyOf.filter((x) => x.type !== "null");
    if (rest.length === 1) return [{ ...resolve(rest[0]), description: s.description ?? rest[0].description }, true];
  }
  return [s, false];
}

function kind(s) {
  if (Array.isArray(s.enum)) return "enum";
  // A decimal: digits as a string (exact) or a plain number.
  if (Array.isArray(s.anyOf) && s.anyOf.every((x) => ["string", "number", "integer"].includes(resolve(x).type))) return "decimal";
  if (s.type === "object" && s.properties) return "object";
  if (s.type === "boolean") return "boolean";
  if (s.type === "integer") return "integer";
  if (s.type === "number") return "number";
  if (s.type === "string") return s.format === "date" ? "date" : "string";
  return "json";
}

/** A value for a required field, to prefill the form with something the entry accepts. */
function example(schema) {
  const [s] = unwrap(schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  switch (kind(s)) {
    case "enum": return s.enum[0];
    case "object": return Object.fromEntries((s.required ?? []).map((k) => [k, example(s.properties[k])]));
    case "boolean": return false;
    case "integer": return Math.max(1, Number.isSafeInteger(s.minimum) ? s.minimum : 1);
    case "number": return 1;
    case "date": return new Date().toISOString().slice(0, 10);
    case "decimal": return "1";
    case "string": return s.pattern ? "1" : "";
    default: return s.type === "array" ? [] : {};
  }
}

// ---- the form ------------------------------------------------------------------------------

const fieldId = (path) => `f-${path.join(".")}`;

function fieldOf(name, schema, path, required) {
  const [s, nullable] = unwrap(schema);
  const optional = !required || nullable;
  const id = fieldId(path);
  const k = kind(s);
  if (k === "object") {
    const set = el("fieldset", { "data-path": path.join(".") }, el("legend", { text: name + (optional ? ` (${t("optional")})` : "") }));
    for (const [p, ps] of Object.entries(s.properties)) set.append(fieldOf(p, ps, [...path, p], (s.required ?? []).includes(p)));
    return set;
  }
  const hint = s.description ? el("small", { id: `${id}-hint`, text: s.description }) : null;
  let input;
  if (k === "enum" || (k === "boolean" && optional)) {
    input = el("select", { id });
    if (optional) input.append(el("option", { value: "", text: "—" }));
    for (const v of k === "enum" ? s.enum : [true, false]) input.append(el("option", { value: JSON.stringify(v), text: String(v) }));
  } else if (k === "boolean") {
    input = el("input", { id, type: "checkbox" });
  } else if (k === "json") {
    input = el("textarea", { id, rows: 3, spellcheck: "false" });
  } else {
    const type = k === "date" ? "date" : k === "integer" || k === "number" ? "number" : "text";
    input = el("input", { id, type, step: k === "integer" ? "1" : k === "number" ? "any" : undefined, inputmode: k === "decimal" || s.pattern ? "decimal" : undefined });
  }
  input.dataset.kind = k;
  input.dataset.path = path.join(".");
  input.dataset.optional = String(optional);
  if (hint) input.setAttribute("aria-describedby", `${id}-hint`);
  const label = el("label", { for: id, text: name + (optional ? ` (${t("optional")})` : "") });
  return el("div", { class: "field" }, label, input, hint, el("span", { class: "error", id: `${id}-error`, role: "alert" }));
}

function setValue(input, value) {
  const k = input.dataset.kind;
  if (value === undefined || value === null) {
    if (input.type === "checkbox") input.checked = false;
    else input.value = "";
  } else if (input.tagName === "SELECT") input.value = JSON.stringify(value);
  else if (input.type === "checkbox") input.checked = Boolean(value);
  else if (k === "json") input.value = JSON.stringify(value);
  else input.value = String(value);
}

function fill(value) {
  for (const input of $("pg-fields").querySelectorAll("[data-path]:not(fieldset)")) {
    const v = input.dataset.path.split(".").reduce((o, p) => (o == null ? undefined : o[p]), value);
    setValue(input, v);
  }
}

/** The form's value as the entry's input; problems are shown at their fields. */
function collect() {
  const out = {};
  let ok = true;
  for (const input of $("pg-fields").querySelectorAll("[data-path]:not(fieldset)")) {
    fieldError(input.dataset.path, "");
    const k = input.dataset.kind;
    let v;
    if (input.type === "checkbox") v = input.checked;
    else if (input.value.trim() === "") continue;
    else if (input.tagName === "SELECT") v = JSON.parse(input.value);
    else if (k === "integer" || k === "number") {
      v = Number(input.value);
      if (!Number.isFinite(v) || (k === "integer" && !Number.isInteger(v))) {
        fieldError(input.dataset.path, t(k === "integer" ? "not_integer" : "not_number"));
        ok = false;
        continue;
      }
    } else if (k === "json") {
      try {
        v = JSON.parse(input.value);
      } catch (e) {
        fieldError(input.dataset.path, t("not_json") + e.message);
        ok = false;
        continue;
      }
    } else v = input.value;
    const path = input.dataset.path.split(".");
    let o = out;
    for (const p of path.slice(0, -1)) o = o[p] ??= {};
    o[path.at(-1)] = v;
  }
  return ok ? out : null;
}

/** Show `message` at the field of `path` (dotted, or a JSON pointer); false when there is none. */
function fieldError(path, message) {
  const dotted = String(path ?? "").replace(/^\//, "").replaceAll("/", ".");
  const box = document.getElementById(`${fieldId([dotted])}-error`);
  const input = document.getElementById(fieldId([dotted]));
  if (!box || !input) return false;
  box.textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  return true;
}

// ---- the playground ------------------------------------------------------------------------

let entries = [];

async function openPlayground() {
  // Loaded once per page: coming back to the playground keeps the entry and the input.
  if (doc) return;
  const resp = await fetch("/openapi.json");
  doc = await resp.json();
  entries = Object.entries(doc.paths)
    .map(([path, ops]) => [path.match(/^\/v1\/packs\/([a-z0-9_-]+)\/([a-z0-9_-]+)$/), ops.post])
    .filter(([m, op]) => m && op)
    .map(([m, op]) => ({ pack: m[1], entry: m[2], op }));
  const select = $("pg-entry");
  select.replaceChildren(...entries.map((e, i) => el("option", { value: String(i), text: `${e.pack} · ${e.entry}` })));
  select.onchange = () => pickEntry(entries[Number(select.value)]);
  if (entries.length) pickEntry(entries[0]);
}

function inputSchema(e) {
  return resolve(e.op.requestBody?.content?.["application/json"]?.schema);
}

function pickEntry(e) {
  $("pg-doc").textContent = e.op.description ?? "";
  const schema = inputSchema(e);
  const fields = $("pg-fields");
  fields.replaceChildren();
  for (const [p, ps] of Object.entries(schema.properties ?? {})) fields.append(fieldOf(p, ps, [p], (schema.required ?? []).includes(p)));
  const value = example(schema);
  fill(value);
  $("pg-json").value = JSON.stringify(value, null, 2);
  $("pg-result").replaceChildren();
}

function selectTab(json) {
  $("tab-form").setAttribute("aria-selected", String(!json));
  $("tab-json").setAttribute("aria-selected", String(json));
  $("pg-fields").hidden = json;
  $("pg-json-panel").hidden = !json;
}

function toJsonTab() {
  const v = collect();
  if (v) $("pg-json").value = JSON.stringify(v, null, 2);
  selectTab(true);
}

function toFormTab() {
  try {
    fill(JSON.parse($("pg-json").value));
  } catch {
    // Left as it was: the JSON view keeps the text to correct.
  }
  selectTab(false);
}

async function evaluate(event) {
  event.preventDefault();
  const e = entries[Number($("pg-entry").value)];
  const result = $("pg-result");
  let input;
  if ($("pg-json-panel").hidden) {
    input = collect();
    if (!input) return;
  } else {
    try {
      input = JSON.parse($("pg-json").value);
    } catch (err) {
      result.replaceChildren(el("p", { class: "error", role: "alert", text: t("not_json") + err.message }));
      return;
    }
  }
  const trace = $("pg-trace").checked ? "?trace=true" : "";
  let resp;
  try {
    resp = await api("POST", `/v1/packs/${e.pack}/${e.entry}${trace}`, JSON.stringify(input));
  } catch (err) {
    if (err instanceof SessionEnded) return;
    throw err;
  }
  result.replaceChildren(...(resp.ok ? answer(resp.data) : problem(resp.data)).filter(Boolean));
}

function problem(p) {
  const items = [];
  const errors = Array.isArray(p?.errors) ? p.errors : p?.path ? [{ path: p.path, message: p.detail }] : [];
  for (const err of errors) {
    const message = err.messages ? pick(err.messages) : (err.message ?? err.detail ?? "");
    if (!fieldError(err.path, message)) items.push(el("li", { text: `${err.path ?? ""} ${message}` }));
  }
  return [
    el("h2", { text: t("refused") }),
    el("p", { class: "error", role: "alert", text: typeof p === "object" ? (p.detail ?? p.title ?? "") : String(p) }),
    items.length ? el("ul", {}, ...items) : null,
    p?.help ? el("p", { text: p.help }) : null,
  ];
}

function money(v, currency) {
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  return new Intl.NumberFormat(`${currentLang()}-BE`, { style: "currency", currency: currency ?? "EUR" }).format(n);
}

function answer(data) {
  const parts = [el("h2", { text: t("result") })];
  if (data?.pack) parts.push(el("p", { class: "doc", text: `${data.pack.name} · ${t("version")} ${data.pack.version}` }));
  if (Array.isArray(data?.lines) && data.total !== undefined) parts.push(...invoice(data));
  if (Array.isArray(data?.trace) && data.trace.length) {
    parts.push(el("h3", { text: t("trace") }), el("ol", { class: "trace" }, ...data.trace.map((r) => el("li", { text: traceText(r) }))));
  }
  const raw = el("details", { open: Array.isArray(data?.lines) ? undefined : true }, el("summary", { text: t("raw_json") }), el("pre", { text: JSON.stringify(data, null, 2) }));
  parts.push(raw);
  return parts;
}

/** One rule that fired: its name, then what it decided. */
function traceText(r) {
  if (typeof r !== "object" || r === null) return String(r);
  const { rule, ...rest } = r;
  const detail = Object.values(rest).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  return rule ? `${rule}${detail ? ` — ${detail}` : ""}` : JSON.stringify(r);
}

function invoice(d) {
  const numeric = new Set(["quantity", "unit_price", "vat_rate", "vat_base", "amount"]);
  const head = (...keys) => el("thead", {}, el("tr", {}, ...keys.map((k) => el("th", { scope: "col", class: numeric.has(k) ? "num" : undefined, text: t(k) }))));
  const lines = el(
    "table",
    { class: "invoice" },
    el("caption", { text: t("result") }),
    head("line", "quantity", "unit_price", "vat_rate", "amount"),
    el("tbody", {}, ...d.lines.map((l) =>
      el("tr", {}, el("td", { text: pick(l.label) }), el("td", { class: "num", text: l.quantity ?? "" }), el("td", { class: "num", text: l.unit_price !== undefined ? money(l.unit_price, d.currency) : "" }), el("td", { class: "num", text: l.vat_rate !== undefined ? `${l.vat_rate} %` : "" }), el("td", { class: "num", text: money(l.amount, d.currency) })))),
  );
  const out = [lines];
  if (Array.isArray(d.vat)) {
    out.push(el(
      "table",
      { class: "invoice" },
      el("caption", { text: t("vat") }),
      head("vat_category", "vat_rate", "vat_base", "amount"),
      el("tbody", {}, ...d.vat.map((v) => el("tr", {}, el("td", { text: v.category }), el("td", { class: "num", text: `${v.rate} %` }), el("td", { class: "num", text: money(v.base, d.currency) }), el("td", { class: "num", text: money(v.amount, d.currency) })))),
    ));
  }
  const totals = [["net_total", d.net_total], ["vat_total", d.vat_total], ["total", d.total]].filter(([, v]) => v !== undefined);
  out.push(el("dl", { class: "totals" }, ...totals.flatMap(([k, v]) => [el("dt", { text: t(k) }), el("dd", { "data-total": k, text: money(v, d.currency) })])));
  if (Array.isArray(d.notes) && d.notes.length) out.push(el("h3", { text: t("notes") }), el("ul", {}, ...d.notes.map((n) => el("li", { text: pick(n.label) }))));
  return out;
}

// ---- start ---------------------------------------------------------------------------------

function start() {
  $("lang").replaceChildren(...LANGS.map((l) => el("option", { value: l, text: TEXTS.language_name[l] })));
  $("lang").value = currentLang();
  translate();
  $("lang").onchange = () => {
    setLang($("lang").value);
    translate();
    if (!$("playground").hidden && entries.length) pickEntry(entries[Number($("pg-entry").value)]);
    if (!$("tariffs").hidden) openTariffs().catch(console.error);
    if (!$("models").hidden) openModels().catch(console.error);
  };
  $("signin-form").onsubmit = (e) => signIn(e).catch(console.error);
  $("signout").onclick = () => signOut();
  $("pg-form").onsubmit = (e) => evaluate(e).catch(console.error);
  $("tab-form").onclick = toFormTab;
  $("tab-json").onclick = toJsonTab;
  window.addEventListener("missions:session-ended", () => signOut(t("session_ended")));
  window.addEventListener("hashchange", () => route().catch(console.error));
  route().catch(console.error);
}

start();

// The Master's model view (a firm's key): the model's YAML text, checked on save with each
// problem shown at its line; its saved versions; and, for a mission that follows it, the plan as
// a timeline of phases and actions with their due dates and assignees (SVG), and the dashboard
// as charts: progress per phase, overdue actions, per person, per team (n-1), open key points by
// severity.
import { el } from "/ui/dom.js";
import { currentLang, pick, t } from "/ui/i18n.js";
import { SessionEnded, api } from "/ui/session.js";

const $ = (id) => document.getElementById(id);
// The SVG namespace: a name, never fetched.
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

function ignoreEnded(err) {
  if (!(err instanceof SessionEnded)) console.error(err);
}

// ---- the model text and its problems ---------------------------------------------------------

/** The text with line numbers; lines with a problem marked, each message under its line. */
function annotated(text, diagnostics) {
  const byLine = new Map();
  const elsewhere = [];
  for (const d of diagnostics) {
    const line = d.location?.line;
    if (line) byLine.set(line, [...(byLine.get(line) ?? []), d]);
    else elsewhere.push(d);
  }
  const lines = text.split("\n");
  const items = [];
  lines.forEach((l, i) => {
    const problems = byLine.get(i + 1);
    if (!problems && ![...byLine.keys()].some((n) => Math.abs(n - (i + 1)) <= 2)) return;
    items.push(el("li", { value: String(i + 1), class: problems ? "bad" : undefined, "data-line": String(i + 1) }, el("code", { text: l || " " })));
    for (const d of problems ?? []) {
      items.push(el("li", { class: "message", role: "note" }, el("span", { class: "error", text: `${t("line_n")} ${i + 1}, ${d.location.column ?? 1}: ${d.message}` }), d.help ? el("small", { text: ` — ${d.help}` }) : null));
    }
  });
  return [el("ol", { class: "source" }, ...items), elsewhere.length ? el("ul", {}, ...elsewhere.map((d) => el("li", { text: d.message }))) : null];
}

async function save(id) {
  const text = $("md-text").value;
  const resp = await api("PUT", `/v1/models/${id}`, text);
  const out = $("md-problems");
  if (resp.ok) {
    const warnings = resp.data.warnings ?? [];
    out.replaceChildren(el("p", { class: "ok", role: "status", text: `${t("saved_as")}${resp.data.saved_version}` }), ...(warnings.length ? annotated(text, warnings) : []));
    await versions(id);
    return;
  }
  const diagnostics = resp.data.diagnostics ?? [];
  out.replaceChildren(el("p", { class: "error", role: "alert", text: `${diagnostics.length} ${t("problems")}` }), ...annotated(text, diagnostics).filter(Boolean));
}

async function versions(id) {
  const resp = await api("GET", `/v1/models/${id}/versions`);
  const rows = (resp.data.versions ?? []).slice().reverse();
  $("md-versions").replaceChildren(el(
    "table",
    { class: "invoice" },
    el("thead", {}, el("tr", {}, ...["version", "saved_at", "saved_by"].map((k) => el("th", { scope: "col", text: t(k) })))),
    el("tbody", {}, ...rows.map((v) => el("tr", {}, el("td", { text: String(v.version) }), el("td", { text: v.saved_at }), el("td", { text: v.saved_by ?? "" })))),
  ));
}

// ---- the timeline ----------------------------------------------------------------------------

const day = (s) => Date.parse(`${s}T00:00:00Z`) / 86400000;

/** The plan as an SVG timeline: a row per action, grouped by phase, a mark at its due date. */
function timeline(plan, state, asOf) {
  const actions = plan.actions ?? [];
  if (!actions.length) return el("p", { text: "—" });
  const done = new Map((state?.actions ?? []).map((a) => [a.id, a]));
  const dates = [...actions.map((a) => day(a.due)), ...Object.values(plan.dates ?? {}).map(day)].filter(Number.isFinite);
  const first = Math.min(...dates);
  const last = Math.max(...dates);
  const [left, width, row] = [360, 560, 18];
  const x = (d) => left + ((d - first) / Math.max(1, last - first)) * width;
  const rows = [];
  let y = 30;
  let phase = null;
  for (const a of actions) {
    if (a.phase !== phase) {
      phase = a.phase;
      rows.push(svg("text", { x: 4, y: y + 12, class: "phase" }, phase));
      y += row;
    }
    const finished = done.get(a.id)?.done_on;
    const late = !finished && asOf && a.due < asOf;
    const label = `${pick(a.label)} — ${(a.assignees ?? []).join(", ")}`;
    const title = svg("title", {}, `${pick(a.label)}\n${a.due} · ${(a.assignees ?? []).join(", ")}${finished ? ` · ✓ ${finished}` : ""}`);
    rows.push(svg("g", { class: `action${finished ? " done" : ""}${late ? " late" : ""}`, "data-action": a.id, tabindex: 0 },
      title,
      svg("text", { x: 14, y: y + 12 }, label.length > 52 ? `${label.slice(0, 51)}…` : label),
      svg("line", { x1: left, x2: x(day(a.due)), y1: y + 8, y2: y + 8 }),
      svg("circle", { cx: x(day(a.due)), cy: y + 8, r: 5 })));
    y += row;
  }
  const marks = Object.entries(plan.dates ?? {}).map(([name, d]) =>
    svg("g", { class: "date" }, svg("line", { x1: x(day(d)), x2: x(day(d)), y1: 18, y2: y }), svg("text", { x: x(day(d)) + 3, y: 14 }, `${name} ${d}`)));
  if (asOf) marks.push(svg("g", { class: "today" }, svg("line", { x1: x(day(asOf)), x2: x(day(asOf)), y1: 18, y2: y })));
  const chart = svg("svg", { viewBox: `0 0 ${left + width + 40} ${y + 10}`, role: "img", "aria-labelledby": "md-tl-title", class: "timeline" },
    svg("title", { id: "md-tl-title" }, t("timeline")), ...marks, ...rows);
  return el("figure", {}, el("figcaption", { text: t("timeline") }), chart);
}

/** The mission's moves to newer versions of its model: when, from which to which, what changed. */
function migrations(history) {
  if (!history.length) return [];
  const rows = history.map((h) => {
    const mapped = Object.entries(h.map ?? {}).map(([a, b]) => `${a} → ${b}`);
    const dropped = (h.dropped_work ?? []).map((a) => `✗ ${a}`);
    return el("tr", {}, el("td", { text: `v${h.from_version} → v${h.to_version}` }), el("td", { text: h.migrated_at }), el("td", { text: [...mapped, ...dropped].join(", ") || "—" }), el("td", { text: h.by ?? "" }));
  });
  const head = ["migration", "migrated_at", "migration_changes", "saved_by"].map((k) => el("th", { scope: "col", text: t(k) }));
  return [el("table", { class: "invoice", id: "md-migrations" }, el("caption", { text: t("migrations") }), el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...rows))];
}

// ---- the dashboard as charts -----------------------------------------------------------------

/** Horizontal stacked bars: for each item its `parts` (`[value, class, label]`), scaled to the largest total. */
function bars(caption, items, id) {
  const max = Math.max(1, ...items.map((i) => i.parts.reduce((s, [v]) => s + v, 0)));
  const [left, width, row] = [220, 420, 22];
  const rows = items.map((item, n) => {
    let at = left;
    const y = 8 + n * row;
    const segments = item.parts.filter(([v]) => v > 0).map(([v, cls, label]) => {
      const w = (v / max) * width;
      const r = svg("rect", { x: at, y, width: Math.max(w, 1), height: row - 6, class: cls }, svg("title", {}, `${label}: ${v}`));
      at += w;
      return r;
    });
    const total = item.parts.map(([v, , label]) => `${label} ${v}`).join(", ");
    return svg("g", { "data-item": item.key }, svg("text", { x: 4, y: y + 12 }, item.label.length > 30 ? `${item.label.slice(0, 29)}…` : item.label), ...segments, svg("text", { x: at + 6, y: y + 12, class: "value" }, total));
  });
  const chart = svg("svg", { viewBox: `0 0 ${left + width + 260} ${items.length * row + 16}`, role: "img", "aria-labelledby": `${id}-title`, class: "bars", id },
    svg("title", { id: `${id}-title` }, caption), ...rows);
  return el("figure", {}, el("figcaption", { text: caption }), chart);
}

function dashboard(d) {
  const parts = (o) => [[o.done ?? 0, "done", t("done")], [Math.max(0, (o.open ?? 0) - (o.overdue ?? 0)), "open", t("open")], [o.overdue ?? 0, "late", t("overdue")]];
  const out = [
    el("p", { role: "status", "data-progress": String(d.progress?.percent ?? 0), text: `${d.client} · ${d.as_of} · ${d.progress?.done ?? 0}/${d.progress?.total ?? 0} (${d.progress?.percent ?? 0} %)` }),
    bars(t("progress_by_phase"), (d.phases ?? []).map((p) => ({ key: p.id, label: pick(p.label), parts: parts(p) })), "md-phases"),
    bars(t("by_person"), (d.people ?? []).map((p) => ({ key: p.name, label: p.name, parts: parts(p) })), "md-people"),
    // A team is the people reporting to one supervisor (the n-1 view of the model's roles).
    bars(t("by_team"), (d.teams ?? []).map((tm) => ({ key: tm.supervisor, label: `${tm.supervisor} (${tm.role}, ${(tm.members ?? []).length})`, parts: parts(tm) })), "md-teams"),
  ];
  const severities = new Map();
  for (const kind of d.key_points?.by_kind ?? []) for (const s of kind.by_severity ?? []) severities.set(s.severity, (severities.get(s.severity) ?? 0) + (s.open ?? 0));
  out.push(bars(t("key_points"), [...severities].map(([s, n]) => ({ key: s, label: s, parts: [[n, "late", t("open")]] })), "md-keypoints"));
  if ((d.overdue ?? []).length) {
    out.push(el("h3", { text: `${t("overdue")} (${d.overdue.length})` }), el("ul", {}, ...d.overdue.map((a) => el("li", { text: `${pick(a.label)} — ${a.due}, ${a.days_late} ${t("days_late")} — ${(a.assignees ?? []).join(", ")}` }))));
  }
  return out;
}

async function showMission(id) {
  if (!id) return;
  const asOf = $("md-asof").value;
  const [m, d] = await Promise.all([api("GET", `/v1/missions/${id}`), api("GET", `/v1/missions/${id}/dashboard${asOf ? `?as_of=${asOf}` : ""}`)]);
  if (!m.ok) return;
  $("md-timeline").replaceChildren(timeline(m.data.plan, m.data.state, asOf || d.data?.as_of), ...migrations(m.data.history ?? []));
  $("md-dashboard").replaceChildren(...(d.ok ? dashboard(d.data) : [el("p", { class: "error", text: d.data.detail ?? "" })]));
}

async function openModel(id) {
  const resp = await api("GET", `/v1/models/${id}`);
  if (!resp.ok) return;
  $("md-text").value = resp.data.text ?? "";
  $("md-problems").replaceChildren();
  await versions(id);
  const list = await api("GET", `/v1/missions?model=${encodeURIComponent(id)}`);
  const missions = list.data.missions ?? [];
  $("md-mission").replaceChildren(...missions.map((m) => el("option", { value: m.id, text: `${m.id} (v${m.model_version})` })));
  if (missions.length) await showMission(missions[0].id);
  else {
    $("md-timeline").replaceChildren(el("p", { text: t("no_missions") }));
    $("md-dashboard").replaceChildren();
  }
}

let wired = false;

/** Open the model view: the tenant's models, the first (or the one picked) shown. */
export async function openModels() {
  if (!wired) {
    wired = true;
    $("md-model").onchange = () => openModel($("md-model").value).catch(ignoreEnded);
    $("md-save").onclick = () => save($("md-model").value).catch(ignoreEnded);
    $("md-mission").onchange = () => showMission($("md-mission").value).catch(ignoreEnded);
    $("md-asof").onchange = () => showMission($("md-mission").value).catch(ignoreEnded);
  }
  const resp = await api("GET", "/v1/models");
  if (!resp.ok) {
    $("md-message").textContent = resp.status === 403 ? t("tenant_only") : (resp.data.detail ?? "");
    return;
  }
  $("md-message").textContent = "";
  const ids = (resp.data.models ?? []).map((m) => m.id);
  const keep = ids.includes($("md-model").value) ? $("md-model").value : ids[0];
  $("md-model").replaceChildren(...ids.map((i) => el("option", { value: i, text: i })));
  if (keep) {
    $("md-model").value = keep;
    await openModel(keep);
  }
  document.documentElement.lang = currentLang();
}

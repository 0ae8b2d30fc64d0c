// The API reference: /openapi.json rendered in the page, with nothing fetched from elsewhere.
// Operations by tag, each with its parameters, request body and answers; schemas as indented
// outlines with their descriptions. The texts of the page come in fr, nl and en; the document's
// own descriptions are in English.
import { el } from "/ui/dom.js";
import { LANGS, TEXTS, currentLang, setLang, t, translate } from "/ui/i18n.js";

let doc;

function refName(ref) {
  return decodeURIComponent(ref.split("/").pop());
}

/** A schema as an outline: type, description, and its members, to `depth` levels of references. */
function outline(schema, depth = 2) {
  if (!schema) return el("span", { text: "—" });
  if (schema.$ref) {
    const name = refName(schema.$ref);
    const link = el("a", { href: `#schema-${name}`, text: name });
    const target = doc.components?.schemas?.[name];
    return depth > 0 && target ? el("span", {}, link, " ", outline(target, depth - 1)) : link;
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(schema[key])) {
      const alts = schema[key].filter((s) => s.type !== "null");
      const nullable = alts.length < schema[key].length ? " | null" : "";
      return el("span", {}, ...alts.flatMap((s, i) => [i ? ` ${key === "allOf" ? "&" : "|"} ` : "", outline(s, depth)]), nullable);
    }
  }
  const parts = [];
  let type = schema.type ?? (schema.properties ? "object" : "any");
  if (Array.isArray(schema.enum)) type = schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.format) type += ` (${schema.format})`;
  parts.push(el("code", { text: type }));
  if (schema.description) parts.push(" — ", el("span", { class: "doc", text: schema.description }));
  if (schema.type === "array" && schema.items) parts.push(el("div", { class: "nested" }, "[ ", outline(schema.items, depth), " ]"));
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    parts.push(el("ul", {}, ...Object.entries(schema.properties).map(([name, s]) =>
      el("li", {}, el("code", { text: name }), required.has(name) ? el("em", { text: ` (${t("docs_required")})` }) : null, ": ", outline(s, depth)))));
  }
  return el("span", {}, ...parts);
}

function operation(path, method, op) {
  const body = [];
  if (op.description) body.push(el("p", { text: op.description }));
  if (op.parameters?.length) {
    body.push(el("h4", { text: t("docs_params") }), el("ul", {}, ...op.parameters.map((p) =>
      el("li", {}, el("code", { text: p.name }), ` (${p.in}${p.required ? `, ${t("docs_required")}` : ""}): `, outline(p.schema, 1), p.description ? ` — ${p.description}` : ""))));
  }
  const content = op.requestBody?.content;
  if (content) {
    const [type, media] = Object.entries(content)[0];
    body.push(el("h4", { text: `${t("docs_body")} (${type})` }), el("div", {}, outline(media.schema)));
  }
  body.push(el("h4", { text: t("docs_responses") }), el("ul", {}, ...Object.entries(op.responses ?? {}).map(([status, r]) => {
    const media = r.content ? Object.values(r.content)[0] : null;
    return el("li", {}, el("strong", { text: status }), ` ${r.description ?? ""} `, media?.schema ? outline(media.schema, 0) : null);
  })));
  const summary = el("summary", {}, el("span", { class: "method", text: method.toUpperCase() }), " ", el("span", { class: "path", text: path }), op.summary ? ` — ${op.summary}` : "");
  return el("details", { class: "op", "data-route": `${method.toUpperCase()} ${path}` }, summary, ...body);
}

function render() {
  translate();
  const main = document.getElementById("docs");
  const title = el("h1", { text: `${doc.info?.title ?? "API"} ${doc.info?.version ?? ""}` });
  const lang = el("select", { id: "lang" }, ...LANGS.map((l) => el("option", { value: l, text: TEXTS.language_name[l] })));
  lang.value = currentLang();
  lang.onchange = () => {
    setLang(lang.value);
    render();
  };
  const filter = el("input", { id: "filter", type: "search" });
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      if (typeof op !== "object" || !op.responses) continue;
      const tag = op.tags?.[0] ?? "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(path, method, op));
    }
  }
  const sections = [...byTag].map(([tag, ops]) => el("section", {}, el("h2", { text: tag }), ...ops));
  filter.oninput = () => {
    const q = filter.value.toLowerCase();
    for (const d of main.querySelectorAll("details.op[data-route]")) d.hidden = q !== "" && !d.dataset.route.toLowerCase().includes(q);
  };
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(([name, s]) =>
    el("details", { class: "op", id: `schema-${name}` }, el("summary", {}, el("code", { text: name })), el("div", {}, outline(s, 0))));
  main.replaceChildren(
    title,
    el("p", {}, el("label", { for: "lang", text: `${t("language")} ` }), lang),
    el("p", {}, el("label", { for: "filter", text: `${t("docs_filter")} ` }), filter),
    el("h2", { text: t("docs_routes") }),
    ...sections,
    el("h2", { text: t("docs_schemas") }),
    ...schemas,
  );
}

async function start() {
  const resp = await fetch("/openapi.json", { headers: { "Accept-Language": currentLang() } });
  doc = await resp.json();
  render();
}

start().catch((e) => {
  document.getElementById("docs").textContent = String(e);
});

// Every text the workbench shows, in each language of its catalogue. The language is the one
// picked in the page (kept for the tab), else the browser's first language the pages have, else
// English; requests send it as Accept-Language, so the service's answers and messages come in it
// too.
// The texts themselves are the catalogues' (`locales/<language>/ui.ftl`): the host writes them
// into /ui/texts.js, one object per text with its language versions. A language whose catalogue
// has a `ui.ftl` is offered in the pages.
import { TEXTS } from "/ui/texts.js";

export { TEXTS };

/** The languages the pages speak: those of the texts above, so adding one is adding its texts
 * (`language_name` first, the name the language picker shows). */
export const LANGS = Object.keys(TEXTS.language_name);

export function currentLang() {
  const kept = sessionStorage.getItem("missions.lang");
  if (LANGS.includes(kept)) return kept;
  for (const l of navigator.languages || []) {
    const primary = l.toLowerCase().split("-")[0];
    if (LANGS.includes(primary)) return primary;
  }
  return LANGS.includes("en") ? "en" : LANGS[0];
}

export function setLang(lang) {
  if (LANGS.includes(lang)) sessionStorage.setItem("missions.lang", lang);
}

/** The text `key` in the current language. */
export function t(key) {
  const entry = TEXTS[key];
  return entry ? (entry[currentLang()] ?? entry.en) : key;
}

/** A label object from the service (`{fr, nl, en}`) in the current language. */
export function pick(labels) {
  if (labels && typeof labels === "object") return labels[currentLang()] ?? labels.en ?? Object.values(labels)[0] ?? "";
  return labels ?? "";
}

/** Translate every element with `data-t` under `root`, and the page's language. */
export function translate(root = document) {
  document.documentElement.lang = currentLang();
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
}

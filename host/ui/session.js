// The signed-in key and the calls made with it. The key lives in this tab's sessionStorage only;
// a 401 forgets it and tells the page (`missions:session-ended`), which goes back to sign-in.
import { currentLang } from "/ui/i18n.js";

export const KEY = "missions.key";

/** Thrown by `api` when the key stopped being accepted; the page has gone back to sign-in. */
export class SessionEnded extends Error {}

/** Call the API with the tab's key: `{status, ok, data}`, data parsed as JSON when it is. */
export async function api(method, path, body) {
  const headers = { "Accept-Language": currentLang(), Authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const resp = await fetch(path, { method, headers, body });
  if (resp.status === 401) {
    sessionStorage.removeItem(KEY);
    window.dispatchEvent(new CustomEvent("missions:session-ended"));
    throw new SessionEnded();
  }
  const text = await resp.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: resp.status, ok: resp.ok, data };
}

// Every text the workbench shows, in fr, nl and en. The language is the one picked in the page
// (kept for the tab), else the browser's first of fr, nl and en, else English; requests send it
// as Accept-Language, so the service's answers and messages come in it too.
export const TEXTS = {
  language_name: { fr: "Français", nl: "Nederlands", en: "English" },
  title: { fr: "Atelier Missions", nl: "Missions-werkbank", en: "Missions workbench" },
  nav_playground: { fr: "Bac à sable", nl: "Speeltuin", en: "Playground" },
  nav_docs: { fr: "Référence de l'API", nl: "API-referentie", en: "API reference" },
  nav_workbench: { fr: "Atelier", nl: "Werkbank", en: "Workbench" },
  language: { fr: "Langue", nl: "Taal", en: "Language" },
  sign_in_title: { fr: "Connexion", nl: "Aanmelden", en: "Sign in" },
  sign_in_help: {
    fr: "Collez votre clé d'API. Elle reste dans cet onglet seulement et est oubliée à sa fermeture.",
    nl: "Plak uw API-sleutel. Ze blijft alleen in dit tabblad en wordt vergeten wanneer het sluit.",
    en: "Paste your API key. It stays in this tab only, and is forgotten when the tab closes.",
  },
  api_key: { fr: "Clé d'API", nl: "API-sleutel", en: "API key" },
  sign_in: { fr: "Se connecter", nl: "Aanmelden", en: "Sign in" },
  sign_out: { fr: "Se déconnecter", nl: "Afmelden", en: "Sign out" },
  key_refused: {
    fr: "Cette clé est refusée (inconnue ou révoquée).",
    nl: "Deze sleutel wordt geweigerd (onbekend of ingetrokken).",
    en: "This key is refused (unknown or revoked).",
  },
  session_ended: {
    fr: "Votre clé n'est plus acceptée : reconnectez-vous.",
    nl: "Uw sleutel wordt niet meer aanvaard: meld u opnieuw aan.",
    en: "Your key is no longer accepted: sign in again.",
  },
  entry: { fr: "Pack et point d'entrée", nl: "Pakket en ingang", en: "Pack and entry" },
  as_form: { fr: "Formulaire", nl: "Formulier", en: "Form" },
  as_json: { fr: "JSON", nl: "JSON", en: "JSON" },
  input_json: { fr: "Entrée (JSON)", nl: "Invoer (JSON)", en: "Input (JSON)" },
  show_trace: { fr: "Montrer les règles appliquées", nl: "Toon de toegepaste regels", en: "Show the rules that fired" },
  evaluate: { fr: "Évaluer", nl: "Evalueren", en: "Evaluate" },
  optional: { fr: "facultatif", nl: "optioneel", en: "optional" },
  not_json: {
    fr: "L'entrée n'est pas du JSON valide : ",
    nl: "De invoer is geen geldige JSON: ",
    en: "The input is not valid JSON: ",
  },
  not_number: { fr: "Un nombre est attendu.", nl: "Een getal wordt verwacht.", en: "A number is expected." },
  not_integer: { fr: "Un nombre entier est attendu.", nl: "Een geheel getal wordt verwacht.", en: "A whole number is expected." },
  not_list: { fr: "Une liste JSON est attendue.", nl: "Een JSON-lijst wordt verwacht.", en: "A JSON list is expected." },
  refused: { fr: "Refusé", nl: "Geweigerd", en: "Refused" },
  result: { fr: "Résultat", nl: "Resultaat", en: "Result" },
  raw_json: { fr: "Réponse JSON", nl: "JSON-antwoord", en: "JSON answer" },
  trace: { fr: "Règles appliquées", nl: "Toegepaste regels", en: "Rules that fired" },
  line: { fr: "Ligne", nl: "Regel", en: "Line" },
  quantity: { fr: "Quantité", nl: "Aantal", en: "Quantity" },
  unit_price: { fr: "Prix unitaire", nl: "Eenheidsprijs", en: "Unit price" },
  amount: { fr: "Montant", nl: "Bedrag", en: "Amount" },
  vat: { fr: "TVA", nl: "Btw", en: "VAT" },
  vat_category: { fr: "Catégorie", nl: "Categorie", en: "Category" },
  vat_rate: { fr: "Taux", nl: "Tarief", en: "Rate" },
  vat_base: { fr: "Base", nl: "Grondslag", en: "Base" },
  net_total: { fr: "Total hors TVA", nl: "Totaal excl. btw", en: "Total excluding VAT" },
  vat_total: { fr: "Total TVA", nl: "Totaal btw", en: "VAT total" },
  total: { fr: "Total TVA comprise", nl: "Totaal incl. btw", en: "Total including VAT" },
  notes: { fr: "Mentions", nl: "Vermeldingen", en: "Notes" },
  version: { fr: "Version", nl: "Versie", en: "Version" },
  loading: { fr: "Chargement…", nl: "Laden…", en: "Loading…" },
  nav_tariffs: { fr: "Tarifs", nl: "Tarieven", en: "Tariffs" },
  pack: { fr: "Pack", nl: "Pakket", en: "Pack" },
  activation: { fr: "Mise en vigueur", nl: "Inwerkingtreding", en: "Activation" },
  effective_from: {
    fr: "En vigueur à partir du (une nouvelle version ; vide : remplace la version actuelle)",
    nl: "Van kracht vanaf (een nieuwe versie; leeg: vervangt de huidige versie)",
    en: "In force from (a new version; empty: replace the current one)",
  },
  accept: {
    fr: "Accepter les montants modifiés dans les cas de référence",
    nl: "De gewijzigde bedragen in de referentiegevallen aanvaarden",
    en: "Accept the changed amounts in the golden cases",
  },
  see_impact: { fr: "Voir l'impact", nl: "Impact bekijken", en: "See the impact" },
  activate: { fr: "Activer", nl: "Activeren", en: "Activate" },
  parameter: { fr: "Paramètre", nl: "Parameter", en: "Parameter" },
  in_force_from: { fr: "En vigueur le", nl: "Van kracht op", en: "In force from" },
  history: { fr: "Historique", nl: "Geschiedenis", en: "History" },
  admin_only: {
    fr: "Les tarifs se changent avec la clé d'administration.",
    nl: "Tarieven worden gewijzigd met de beheersleutel.",
    en: "Tariffs are changed with the admin key.",
  },
  no_change: { fr: "Aucune valeur n'a été modifiée.", nl: "Er is geen waarde gewijzigd.", en: "No value was changed." },
  changes: { fr: "Valeurs modifiées", nl: "Gewijzigde waarden", en: "Changed values" },
  would_activate: { fr: "Cette version peut être activée.", nl: "Deze versie kan worden geactiveerd.", en: "This version can be activated." },
  would_not_activate: {
    fr: "Cette version serait refusée : ",
    nl: "Deze versie zou worden geweigerd: ",
    en: "This version would be refused: ",
  },
  failing_cases: { fr: "cas de référence échouent", nl: "referentiegevallen mislukken", en: "golden cases fail" },
  money_impact: { fr: "Impact sur les montants hors TVA", nl: "Impact op de bedragen excl. btw", en: "Impact on net amounts" },
  tenant: { fr: "Client", nl: "Klant", en: "Customer" },
  requests: { fr: "Demandes", nl: "Aanvragen", en: "Requests" },
  before: { fr: "Avant", nl: "Voor", en: "Before" },
  after: { fr: "Après", nl: "Na", en: "After" },
  difference: { fr: "Écart", nl: "Verschil", en: "Difference" },
  all_tenants: { fr: "Tous", nl: "Allemaal", en: "All" },
  changed_outputs: { fr: "Résultats modifiés", nl: "Gewijzigde resultaten", en: "Changed results" },
  activated: { fr: "Activée : version ", nl: "Geactiveerd: versie ", en: "Activated: version " },
  accepted_cases: { fr: " cas de référence mis à jour", nl: " referentiegevallen bijgewerkt", en: " golden cases updated" },
  activated_at: { fr: "Activée le", nl: "Geactiveerd op", en: "Activated at" },
  rolled_back: { fr: "Annulée le", nl: "Teruggedraaid op", en: "Rolled back at" },
  source: { fr: "Origine", nl: "Herkomst", en: "Source" },
  roll_back: { fr: "Annuler la dernière activation", nl: "Laatste activering terugdraaien", en: "Roll back the last activation" },
  rolled_back_to: { fr: "Annulée. En vigueur : ", nl: "Teruggedraaid. Van kracht: ", en: "Rolled back. In force: " },
  nav_models: { fr: "Modèles", nl: "Modellen", en: "Models" },
  model: { fr: "Modèle", nl: "Model", en: "Model" },
  model_text: { fr: "Le modèle", nl: "Het model", en: "The model" },
  model_text_help: {
    fr: "Son texte YAML ; enregistrez-le pour le vérifier",
    nl: "De YAML-tekst; bewaar hem om hem te controleren",
    en: "Its YAML text; save it to check it",
  },
  check_save: { fr: "Vérifier et enregistrer", nl: "Controleren en bewaren", en: "Check and save" },
  saved_as: { fr: "Enregistré : version ", nl: "Bewaard: versie ", en: "Saved: version " },
  problems: { fr: "problème(s) : rien n'a été enregistré", nl: "probleem/problemen: er is niets bewaard", en: "problem(s): nothing was saved" },
  line_n: { fr: "ligne", nl: "regel", en: "line" },
  versions: { fr: "Versions", nl: "Versies", en: "Versions" },
  saved_at: { fr: "Enregistrée le", nl: "Bewaard op", en: "Saved at" },
  saved_by: { fr: "Par", nl: "Door", en: "By" },
  missions: { fr: "Missions", nl: "Opdrachten", en: "Missions" },
  mission: { fr: "Mission", nl: "Opdracht", en: "Mission" },
  as_of: { fr: "À la date du", nl: "Op datum van", en: "As of" },
  timeline: { fr: "Calendrier des actions", nl: "Tijdlijn van de acties", en: "Timeline of the actions" },
  progress_by_phase: { fr: "Avancement par phase", nl: "Voortgang per fase", en: "Progress by phase" },
  by_person: { fr: "Par personne", nl: "Per persoon", en: "By person" },
  by_team: { fr: "Par équipe (n-1)", nl: "Per team (n-1)", en: "By team (n-1)" },
  key_points: { fr: "Points clés ouverts par gravité", nl: "Open kernpunten per ernst", en: "Open key points by severity" },
  overdue: { fr: "En retard", nl: "Te laat", en: "Overdue" },
  done: { fr: "Fait", nl: "Klaar", en: "Done" },
  open: { fr: "Ouvert", nl: "Open", en: "Open" },
  days_late: { fr: "jours de retard", nl: "dagen te laat", en: "days late" },
  no_missions: { fr: "Aucune mission sur ce modèle.", nl: "Geen opdrachten op dit model.", en: "No mission follows this model." },
  tenant_only: {
    fr: "Les modèles se consultent avec la clé d'un cabinet.",
    nl: "Modellen worden geraadpleegd met de sleutel van een kantoor.",
    en: "Models are read with a firm's key.",
  },
  migrations: { fr: "Migrations vers d'autres versions du modèle", nl: "Migraties naar andere modelversies", en: "Migrations to other versions of the model" },
  migration: { fr: "Versions", nl: "Versies", en: "Versions" },
  migrated_at: { fr: "Migrée le", nl: "Gemigreerd op", en: "Migrated at" },
  migration_changes: { fr: "Actions renommées ou abandonnées", nl: "Hernoemde of geschrapte acties", en: "Actions renamed or dropped" },
  docs_routes: { fr: "Routes", nl: "Routes", en: "Routes" },
  docs_params: { fr: "Paramètres", nl: "Parameters", en: "Parameters" },
  docs_body: { fr: "Corps de la requête", nl: "Body van het verzoek", en: "Request body" },
  docs_responses: { fr: "Réponses", nl: "Antwoorden", en: "Responses" },
  docs_schemas: { fr: "Schémas", nl: "Schema's", en: "Schemas" },
  docs_required: { fr: "obligatoire", nl: "verplicht", en: "required" },
  docs_filter: { fr: "Filtrer les routes", nl: "Routes filteren", en: "Filter the routes" },
};

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

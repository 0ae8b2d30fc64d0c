"""The workbench in a real headless browser (Debian's Chromium driven by Playwright): sign in with
a tenant key, evaluate the esomus quote in the playground (form and JSON), see bad input at its
field in the page's language, be sent back to sign-in when the key is revoked, and read the API
reference. Screenshots go to the folder given (artefacts, not committed).

Usage: browser_test.py URL ADMIN_KEY TENANT_KEY TENANT_KEY_ID SCREENSHOT_DIR
"""
import json
import os
import sys
import urllib.request

from playwright.sync_api import expect, sync_playwright

url, admin, key, key_id, shots = sys.argv[1:6]
os.makedirs(shots, exist_ok=True)
CHROMIUM = os.environ.get("MISSIONS_CHROMIUM", "/usr/bin/chromium")
# The flags that keep Chromium off the network it cannot reach here.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def call(method, path, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def admin_call(method, path):
    return call(method, path, admin)[0]


def license_price(key, day):
    quote = {"date": day, "year": 1, "users": 12, "data_gb": 95, "client": {"country": "BE"}}
    _, v = call("POST", "/v1/packs/esomus/quote", key, quote)
    return next(line["unit_price"] for line in v["lines"] if line["code"] == "license")


def shot(page, name):
    page.screenshot(path=os.path.join(shots, f"{name}.png"), full_page=True)


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    context = browser.new_context(locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # Sign in: a wrong key is refused in French, the tenant's key opens the playground.
    page.goto(url + "/ui/")
    expect(page.locator("#signin-title")).to_have_text("Connexion")
    page.get_by_label("Clé d'API").fill("mk_nope_" + "0" * 64)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#signin-error")).to_contain_text("refusée")
    page.get_by_label("Clé d'API").fill(key)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#playground")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('missions.key')") == key
    assert key not in page.url, "the key never goes in the URL"
    assert page.evaluate("localStorage.length") == 0, "nothing is kept beyond the tab"

    # The esomus quote from the form.
    page.select_option("#pg-entry", label="esomus · quote")
    page.fill("#f-date", "2026-11-20")
    page.fill("#f-year", "1")
    page.fill("#f-users", "12")
    page.fill("#f-data_gb", "95")
    page.fill("#f-client\\.country", "BE")
    page.fill("#f-client\\.vat_number", "BE0123456789")
    page.fill("#f-client\\.distance_km", "25")
    page.get_by_role("button", name="Évaluer").click()
    expect(page.locator("dd[data-total=total]")).to_be_visible()
    raw = json.loads(page.locator("#pg-result pre").text_content())
    assert raw["total"] == "10602.02", raw
    assert raw["pack"]["name"] == "esomus"
    expect(page.locator("table.invoice").first).to_contain_text("Licences Missions-Manager")
    expect(page.locator("dl.totals")).to_contain_text("Total TVA comprise")
    expect(page.locator("ol.trace li").first).to_be_visible()
    shot(page, "playground-quote-fr")

    # In Dutch, then in German (a language added as data: locales/de/, esomus's `de` labels),
    # from the JSON view: the page, the quote's lines and its totals. Dutch stays selected.
    quote = json.dumps({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95,
                        "client": {"country": "BE", "vat_number": "BE0123456789", "distance_km": 25}})
    for lang, evaluate, total, license in [
        ("nl", "Evalueren", "Totaal incl. btw", "Missions-Manager-licenties"),
        ("de", "Auswerten", "Summe inkl. MwSt.", "Missions-Manager-Lizenzen"),
    ]:
        page.select_option("#lang", lang)
        page.get_by_role("tab", name="JSON").click()
        page.fill("#pg-json", quote)
        page.get_by_role("button", name=evaluate).click()
        expect(page.locator("dl.totals")).to_contain_text(total)
        expect(page.locator("table.invoice").first).to_contain_text(license)
        shot(page, f"playground-quote-{lang}")
    page.select_option("#lang", "nl")

    # A value of the wrong type: the error at its field, in the page's language.
    page.get_by_role("tab", name="Formulier").click()
    page.fill("#f-users", "1.5")
    page.get_by_role("button", name="Evalueren").click()
    expect(page.locator("#f-users-error")).to_have_text("Een geheel getal wordt verwacht.")
    expect(page.locator("#f-users")).to_have_attribute("aria-invalid", "true")
    # One the service refuses: its message at its field.
    page.fill("#f-users", "-3")
    page.get_by_role("button", name="Evalueren").click()
    expect(page.locator("#f-users-error")).not_to_be_empty()
    shot(page, "playground-refused-nl")

    # The Master's model view: the model saved over the API first, with one mission on it.
    model = open(os.path.join(os.path.dirname(__file__), "../../rules/models/example-firm.yaml"), encoding="utf-8").read()
    req = urllib.request.Request(url + "/v1/models/example-firm", data=model.encode(), method="PUT",
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/yaml"})
    assert urllib.request.urlopen(req).status == 201
    people = {"partner": ["An Peeters"], "manager": ["Bo Maes"], "staff": ["Cy"], "supervisor": ["Di"], "eqr": ["Ed"],
              "quality": ["Fa"], "it-auditor": ["Gu"]}
    status, mission = call("POST", "/v1/missions", key, {"model": "example-firm", "client": "Brasserie SA",
                                                          "start": "2026-11-02", "closing": "2027-03-31", "people": people})
    assert status == 201, mission
    first = mission["plan"]["actions"][0]["id"]
    status, _ = call("PUT", f"/v1/missions/{mission['id']}/state", key, {"actions": [{"id": first, "done_on": "2026-11-03"}]})
    assert status == 200
    # A second version of the model (a label changed), and the mission moved to it.
    v2 = model.replace("en: Audit engagement", "en: Audit engagement (2027)")
    assert v2 != model
    req = urllib.request.Request(url + "/v1/models/example-firm", data=v2.encode(), method="PUT",
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/yaml"})
    assert urllib.request.urlopen(req).status == 200
    status, moved = call("POST", f"/v1/missions/{mission['id']}/migrate", key, {})
    assert status == 200, moved
    model = v2
    page.get_by_role("link", name="Modellen").click()
    expect(page.locator("#models")).to_be_visible()
    expect(page.locator("#md-text")).to_have_value(model)
    page.fill("#md-asof", "2027-01-15")
    page.dispatch_event("#md-asof", "change")
    expect(page.locator("svg.timeline g.action")).to_have_count(len(mission["plan"]["actions"]))
    expect(page.locator(f"svg.timeline g.action.done[data-action='{first}']")).to_have_count(1)
    expect(page.locator("svg.timeline g.action.late").first).to_be_visible()
    expect(page.locator("#md-phases g[data-item]")).to_have_count(len({a["phase"] for a in mission["plan"]["actions"]}))
    expect(page.locator("#md-people g[data-item='Bo Maes']")).to_be_visible()
    expect(page.locator("#md-teams g[data-item]").first).to_be_visible()
    expect(page.locator("#md-keypoints")).to_be_visible()
    expect(page.locator("#md-versions tbody tr")).to_have_count(2)
    expect(page.locator("#md-migrations")).to_contain_text("v1 → v2")
    shot(page, "models-dashboard-nl")
    broken = model.replace("reports_to: manager", "reports_to: manger")
    bad_line = next(i for i, l in enumerate(broken.split("\n"), 1) if "reports_to: manger" in l)
    page.fill("#md-text", broken)
    page.get_by_role("button", name="Controleren en bewaren").click()
    expect(page.locator(f"ol.source li.bad[data-line='{bad_line}']")).to_be_visible()
    expect(page.locator("ol.source li.message").first).to_contain_text(f"regel {bad_line}")
    expect(page.locator("ol.source li.message").first).to_contain_text("manger")
    shot(page, "models-problem-at-its-line-nl")

    # The key revoked: the next call goes back to sign-in.
    assert admin_call("DELETE", f"/v1/admin/tenants/browser/keys/{key_id}") == 200
    page.get_by_role("link", name="Speeltuin").click()
    page.fill("#f-users", "12")
    # The host trusts a checked key for up to a second: evaluate until the page signs out.
    evaluate = page.get_by_role("button", name="Evalueren")
    signed_out = False
    for _ in range(50):
        if page.locator("#signin").is_visible():
            signed_out = True
            break
        if evaluate.is_visible():
            evaluate.click()
        page.wait_for_timeout(200)
    assert signed_out, "a revoked key kept the session"
    expect(page.locator("#signin-error")).to_contain_text("opnieuw aan")
    assert page.evaluate("sessionStorage.getItem('missions.key')") is None
    shot(page, "signed-out-nl")

    # The tariff console, with the admin key: next year's license price, from a wrong value at
    # its field to the impact, the activation and its rollback.
    page.get_by_label("API-sleutel").fill(admin)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("link", name="Tarieven").click()
    expect(page.locator("#tariffs")).to_be_visible()
    page.select_option("#tf-pack", "esomus")
    price = page.locator("#tf-license_per_user_month")
    expect(price).to_have_value("35.00")
    price.fill("cheap")
    page.get_by_role("button", name="Impact bekijken").click()
    expect(page.locator("#tf-license_per_user_month-error")).to_have_text("Een getal wordt verwacht.")
    price.fill("36.00")
    page.get_by_role("button", name="Impact bekijken").click()
    expect(page.locator("#tf-result")).to_contain_text("referentiegevallen mislukken")
    expect(page.locator("#tf-result table").first).to_contain_text("license_per_user_month")
    shot(page, "tariffs-impact-nl")
    page.fill("#tf-effective", "2027-01-01")
    page.get_by_label("De gewijzigde bedragen in de referentiegevallen aanvaarden").check()
    page.get_by_role("button", name="Activeren").click()
    expect(page.locator("[data-activated='2027.1.0']")).to_be_visible()
    expect(page.locator("#tf-history")).to_contain_text("2027.1.0")
    shot(page, "tariffs-activated-nl")
    status, fresh = call("POST", "/v1/admin/tenants/browser/keys", admin, {})
    assert status == 201, fresh
    tenant = fresh["api_key"]
    assert license_price(tenant, "2027-01-04") == "36.00", "a quote over the API uses the new price"
    assert license_price(tenant, "2026-12-30") == "35.00", "this year keeps its price"
    page.get_by_role("button", name="Laatste activering terugdraaien").click()
    expect(page.locator("#tf-result")).to_contain_text("Teruggedraaid")
    assert license_price(tenant, "2027-01-04") == "35.00", "rolled back"

    # The API reference, served by the host itself.
    page.goto(url + "/docs")
    expect(page.locator("h1")).to_contain_text("Missions")
    routes = page.locator("details.op[data-route]")
    assert routes.count() > 30, routes.count()
    page.fill("#filter", "/v1/tickets")
    visible = [r for r in routes.all() if r.is_visible()]
    assert visible and all("/v1/tickets" in r.get_attribute("data-route") for r in visible)
    shot(page, "api-reference")

    assert not errors, errors
    browser.close()
print("browser tests: ok")

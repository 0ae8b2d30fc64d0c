#!/usr/bin/env python3
# Writes the JDM graphs of this folder (run it here: python3 generate.py). The graphs are what
# the GoRules editor would save; generating them keeps the three quote-line templates and the
# two variants (with labels and notes, as the floor writes them, and figures only) in step.
import json
EU = ["AT","BG","CY","CZ","DE","DK","EE","ES","FI","FR","GR","HR","HU","IE","IT","LT","LU","LV","MT","NL","PL","PT","RO","SE","SI","SK"]
eu = ", ".join(f"'{c}'" for c in EU)

def node(id, name, typ, content=None):
    n = {"id": id, "name": name, "type": typ}
    n["content"] = content if content is not None else {}
    return n

def edges(ids):
    return [{"id": f"e{i}", "sourceId": a, "targetId": b} for i, (a, b) in enumerate(zip(ids, ids[1:]), 1)]

def table(rules, inputs, outputs, **attrs):
    c = {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rules}
    c.update(attrs)
    return c

# ---------------- tier.json: the 5-row tier decision
tier_rows = [("<= 5", 1, "750.00"), ("<= 15", 2, "1250.00"), ("<= 50", 3, "2000.00"), ("<= 200", 4, "3000.00"), ("", 5, "4500.00")]
tier = {
    "nodes": [
        node("request", "request", "inputNode"),
        node("tier", "tier", "decisionTableNode", table(
            [{"_id": f"row{i}", "users": u, "tier": str(t), "price": f"'{p}'"} for i, (u, t, p) in enumerate(tier_rows, 1)],
            [{"id": "users", "name": "Users", "field": "users"}],
            [{"id": "tier", "name": "Tier", "field": "tier"}, {"id": "price", "name": "Price", "field": "price"}])),
        node("response", "response", "outputNode"),
    ],
}
tier["edges"] = edges(["request", "tier", "response"])
json.dump(tier, open("tier.json", "w"), indent=2, ensure_ascii=False)

# ---------------- esomus-quote.json
setup_rows = [("<= 5", "750.00"), ("[6..15]", "1250.00"), ("[16..50]", "2000.00"), ("", "3000.00")]
setup_dt = table(
    [{"_id": f"tier{i}", "users": u, "price": p} for i, (u, p) in enumerate(setup_rows, 1)],
    [{"id": "users", "name": "Licensed users", "field": "users"}],
    [{"id": "price", "name": "Setup price", "field": "setup.price"}],
    passThrough=True)
vat_dt = table(
    [
        {"_id": "be", "country": "'BE'", "vat_number": "", "category": "'S'", "rate": "21"},
        {"_id": "eu", "country": eu, "vat_number": "$ != null and $ != ''", "category": "'AE'", "rate": "0"},
        {"_id": "eu_without_number", "country": eu, "vat_number": "", "category": "'refused'", "rate": "null"},
        {"_id": "outside_eu", "country": "", "vat_number": "", "category": "'O'", "rate": "0"},
    ],
    [{"id": "country", "name": "Client country", "field": "client.country"},
     {"id": "vat_number", "name": "Client VAT number", "field": "client.vat_number"}],
    [{"id": "category", "name": "VAT category", "field": "vat.category"},
     {"id": "rate", "name": "VAT rate", "field": "vat.rate"}],
    passThrough=True)

LABELS = True
def line(cond, code, qty, price, fr, nl, en, de, amount=None):
    amount = amount or f"round(({qty}) * ({price}), 2)"
    label = f", label: {{fr: `{fr}`, nl: `{nl}`, en: `{en}`, de: `{de}`}}" if LABELS else ""
    obj = (f"{{code: '{code}', quantity: {qty}, unit_price: {price}, amount: {amount}, "
           f"vat_category: $.cat, vat_rate: $.rate{label}}}")
    return f"{cond} ? {obj} : null"

def quote_graph(labels, path):
    global LABELS
    LABELS = labels
    lines = [
        line("year == 1", "setup", "1", "setup.price",
             "Installation technique (${users} utilisateurs) : compte, base de données, droits d'accès et formation de démarrage de 2 h",
             "Technische installatie (${users} gebruikers): account, databank, toegangsrechten en opstartopleiding van 2 u",
             "Technical setup (${users} users): account, database, access rights and 2 h start training",
             "Technische Einrichtung (${users} Benutzer): Konto, Datenbank, Zugriffsrechte und 2 h Startschulung"),
        line("year == 1 and (client.isqm_manager_customer ?? false)", "setup_discount", "-1", "$.discount",
             "Remise client ISQM-Manager : 20 % sur l'installation",
             "Korting voor ISQM-Manager-klanten: 20 % op de installatie",
             "ISQM-Manager customer discount: 20 % on the setup",
             "Rabatt für ISQM-Manager-Kunden: 20 % auf die Einrichtung"),
        line("true", "license", "$.user_months", "35.00",
             "Licences Missions-Manager : ${users} utilisateurs × 12 mois",
             "Missions-Manager-licenties: ${users} gebruikers × 12 maanden",
             "Missions-Manager licenses: ${users} users × 12 months",
             "Missions-Manager-Lizenzen: ${users} Benutzer × 12 Monate"),
        line("true", "hosting", "$.user_months", "8.00",
             "Serveurs, sauvegardes et données : ${users} utilisateurs × 12 mois (${$.included} Go inclus)",
             "Servers, back-ups en gegevens: ${users} gebruikers × 12 maanden (${$.included} GB inbegrepen)",
             "Servers, backups and data: ${users} users × 12 months (${$.included} GB included)",
             "Server, Sicherungen und Daten: ${users} Benutzer × 12 Monate (${$.included} GB inbegriffen)"),
        line("$.blocks > 0", "data_overage", "$.blocks * 12", "15.00",
             "Données au-delà du volume inclus : ${$.blocks} bloc(s) entamé(s) de 10 Go × 12 mois (${$.gb_comma} Go stockés, ${$.included} Go inclus)",
             "Gegevens boven het inbegrepen volume: ${$.blocks} aangevangen blok(ken) van 10 GB × 12 maanden (${$.gb_comma} GB opgeslagen, ${$.included} GB inbegrepen)",
             "Data beyond the included volume: ${$.blocks} started block(s) of 10 GB × 12 months (${$.gb} GB stored, ${$.included} GB included)",
             "Daten über dem inbegriffenen Volumen: ${$.blocks} angefangene(r) Block/Blöcke zu 10 GB × 12 Monate (${$.gb_comma} GB gespeichert, ${$.included} GB inbegriffen)"),
        line("true", "maintenance", "12", "50.00",
             "Maintenance et mises à jour : 12 mois", "Onderhoud en updates: 12 maanden", "Maintenance and updates: 12 months",
             "Wartung und Aktualisierungen: 12 Monate"),
        line("$.free > 0", "free_months", "-($.free * users)", "35.00",
             "Mois de licence offerts (prépaiement de ${$.prepaid} ans) : ${$.free} mois × ${users} utilisateurs",
             "Gratis licentiemaanden (vooruitbetaling van ${$.prepaid} jaar): ${$.free} maanden × ${users} gebruikers",
             "Free license months (${$.prepaid}-year prepayment): ${$.free} months × ${users} users",
             "Kostenlose Lizenzmonate (${$.prepaid} Jahre Vorauszahlung): ${$.free} Monate × ${users} Benutzer"),
        line("$.user_sessions > 0", "user_training", "$.user_sessions", "360.00",
             "Formation des utilisateurs : séance de 3 h", "Gebruikersopleiding: sessie van 3 u", "User training: 3 h session",
             "Benutzerschulung: Sitzung von 3 h"),
        line("$.master_sessions > 0", "master_training", "$.master_sessions", "360.00",
             "Formation du Master : séance de 3 h", "Opleiding voor de Master: sessie van 3 u", "Master training: 3 h session",
             "Master-Schulung: Sitzung von 3 h"),
        line("$.packages > 0", "parametrisation_package", "$.packages", "475.00",
             "Assistance au paramétrage : forfait prépayé de 5 heures",
             "Hulp bij de parametrering: vooruitbetaald pakket van 5 uur",
             "Parametrisation assistance: prepaid package of 5 hours",
             "Unterstützung bei der Parametrierung: vorausbezahltes Paket von 5 Stunden"),
        line("$.rest > 0", "parametrisation_hours", "$.rest", "110.00",
             "Assistance au paramétrage : heures", "Hulp bij de parametrering: uren", "Parametrisation assistance: hours",
             "Unterstützung bei der Parametrierung: Stunden"),
    ]

    exprs = [
        ("cat", "vat.category"),
        ("rate", "vat.rate"),
        ("user_months", "users * 12"),
        ("included", "users * 5"),
        ("gb", "number(data_gb)"),
        ("blocks", "$.gb > $.included ? ceil(($.gb - $.included) / 10) : 0"),
        ("gb_parts", "split(string($.gb), '.')"),
        ("gb_comma", "len($.gb_parts) > 1 ? $.gb_parts[0] + ',' + $.gb_parts[1] : $.gb_parts[0]"),
        ("discount", "round(setup.price * 20 / 100, 2)"),
        ("prepaid", "prepaid_years ?? 1"),
        ("earned", "$.prepaid == 3 ? 3 : ($.prepaid == 2 ? 1 : 0)"),
        ("free", "year >= 2 ? max([0, min([2, $.earned - 2 * (year - 2)])]) : 0"),
        ("user_sessions", "options.user_training_sessions ?? 0"),
        ("master_sessions", "options.master_training_sessions ?? 0"),
        ("hours", "number(options.parametrisation_hours ?? 0)"),
        ("packages", "floor($.hours / 5)"),
        ("rest", "$.hours - $.packages * 5"),
        ("lines", "filter([" + ", ".join(lines) + "], # != null)"),
    ]
    notes_vat = ("cat == 'AE' ? {code: 'vat_reverse_charge', label: {"
        "fr: `Autoliquidation / Verlegging van heffing / Reverse charge — TVA due par le preneur (art. 196 de la directive 2006/112/CE) ; numéro de TVA du client : ${client.vat_number}`, "
        "nl: `Autoliquidation / Verlegging van heffing / Reverse charge — btw verschuldigd door de afnemer (art. 196 van Richtlijn 2006/112/EG); btw-nummer van de klant: ${client.vat_number}`, "
        "en: `Autoliquidation / Verlegging van heffing / Reverse charge — VAT due by the customer (art. 196 of Directive 2006/112/EC); customer's VAT number: ${client.vat_number}`, "
        "de: `Autoliquidation / Verlegging van heffing / Steuerschuldnerschaft des Leistungsempfängers — MwSt. vom Kunden geschuldet (Art. 196 der Richtlinie 2006/112/EG); USt-IdNr. des Kunden: ${client.vat_number}`}} : "
        "(cat == 'O' ? {code: 'vat_out_of_scope', label: {"
        "fr: `Hors du champ d'application de la TVA belge (art. 21, § 2, du Code de la TVA)`, "
        "nl: `Buiten het toepassingsgebied van de Belgische btw (art. 21, § 2, van het Btw-Wetboek)`, "
        "en: `Outside the scope of Belgian VAT (art. 21, § 2, of the Belgian VAT Code)`, "
        "de: `Nicht im Anwendungsbereich der belgischen MwSt. (Art. 21 § 2 des belgischen MwSt.-Gesetzbuchs)`}} : null)")
    totals = [
        ("lines", "lines"),
        ("net_total", "sum(map(lines, #.amount))"),
        ("vat", "[{category: cat, rate: rate, base: $.net_total, amount: round($.net_total * rate / 100, 2)}]"),
        ("vat_total", "sum(map($.vat, #.amount))"),
        ("total", "$.net_total + $.vat_total"),
        ("notes", "filter([{code: 'note_yearly_billing', label: {"
                  "fr: `Facturation annuelle, à l'avance ; les prix peuvent être révisés au 1er janvier`, "
                  "nl: `Jaarlijkse facturatie, vooraf; de prijzen kunnen op 1 januari worden herzien`, "
                  "en: `Billed yearly in advance; prices may be revised on 1 January`, "
                  "de: `Jährlich im Voraus berechnet; die Preise können am 1. Januar angepasst werden`}}, " + notes_vat + "], # != null)"),
    ]
    if not labels:
        exprs = [e for e in exprs if e[0] not in ("gb_parts", "gb_comma")]
        totals = [t for t in totals if t[0] != "notes"]
    def expr_node(id, name, items, **attrs):
        c = {"expressions": [{"id": f"{id}-{k}", "key": k, "value": v} for k, v in items]}
        c.update(attrs)
        return node(id, name, "expressionNode", c)

    quote = {
        "nodes": [
            node("request", "request", "inputNode"),
            node("setup_tier", "setup tier", "decisionTableNode", setup_dt),
            node("vat_category", "VAT category", "decisionTableNode", vat_dt),
            expr_node("lines", "lines", exprs),
            expr_node("totals", "totals", totals),
            node("response", "response", "outputNode"),
        ],
    }
    quote["edges"] = edges(["request", "setup_tier", "vat_category", "lines", "totals", "response"])
    json.dump(quote, open(path, "w"), indent=2, ensure_ascii=False)


quote_graph(True, "esomus-quote.json")
quote_graph(False, "esomus-quote-figures.json")

# Meldungen des Befehls `missions` und des HTTP-Hosts.

host-no-change = keine Änderung

## Die Überschriften der Tabelle von `missions quote`
host-quote-quote = Angebot
host-quote-description = Beschreibung
host-quote-quantity = Menge
host-quote-unit-price = Einzelpreis
host-quote-amount = Betrag
host-quote-vat = MwSt.
host-quote-net-total = Summe netto
host-quote-vat-on = auf
host-quote-total = Summe inkl. MwSt.
host-quote-notes = Hinweise
host-quote-buyer-vat = USt-IdNr. des Kunden
host-quote-colon = :

## The title of each kind of problem the HTTP host answers (problem+json `title`)
host-problem-invalid-json = der Rumpf ist kein gültiges JSON
host-problem-invalid-input = ungültige Eingabe
host-problem-rule-refused = von den Regeln abgelehnt
host-problem-limit-exceeded = Grenze überschritten
host-problem-body-too-large = Anfragerumpf zu groß
host-problem-body-timeout = Anfragerumpf zu langsam
host-problem-unsupported-media-type = Medientyp nicht unterstützt
host-problem-script-error = das Regelpaket ist fehlgeschlagen
host-problem-plugin-failed = ein Plug-in ist fehlgeschlagen
host-problem-unknown-pack = unbekanntes Paket
host-problem-unknown-entry = unbekannter Einstiegspunkt
host-problem-no-version = keine Paketversion in Kraft
host-problem-pack-rejected = Paketversion abgelehnt
host-problem-invalid-model = ungültiges Auftragsmodell oder ungültiger Auftrag
host-problem-unauthorized = API-Schlüssel fehlt oder ist unbekannt
host-problem-forbidden = mit diesem Schlüssel nicht erlaubt
host-problem-not-found = nicht gefunden
host-problem-method-not-allowed = Methode nicht erlaubt
host-problem-conflict = Konflikt
host-problem-precondition-failed = seit dem Lesen geändert
host-problem-evaluation-timeout = Zeitüberschreitung bei der Auswertung
host-problem-unavailable = Dienst nicht verfügbar
host-problem-internal = interner Fehler

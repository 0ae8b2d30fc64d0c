# Berichten van het commando `missions` en de HTTP-host.

host-no-change = geen wijziging

## The headings of `missions quote`'s table
host-quote-quote = Offerte
host-quote-description = Omschrijving
host-quote-quantity = Aantal
host-quote-unit-price = Eenheidsprijs
host-quote-amount = Bedrag
host-quote-vat = Btw
host-quote-net-total = Totaal excl. btw
host-quote-vat-on = op
host-quote-total = Totaal incl. btw
host-quote-notes = Vermeldingen
host-quote-buyer-vat = Btw-nummer klant
host-quote-colon = :

## The title of each kind of problem the HTTP host answers (problem+json `title`)
host-problem-invalid-json = de body is geen geldige JSON
host-problem-invalid-input = ongeldige invoer
host-problem-rule-refused = geweigerd door de regels
host-problem-limit-exceeded = limiet overschreden
host-problem-body-too-large = body van het verzoek te groot
host-problem-body-timeout = body van het verzoek te traag
host-problem-unsupported-media-type = mediatype niet ondersteund
host-problem-script-error = het regelpakket is mislukt
host-problem-plugin-failed = een plug-in is mislukt
host-problem-unknown-pack = onbekend pakket
host-problem-unknown-entry = onbekend ingangspunt
host-problem-no-version = geen pakketversie van kracht
host-problem-pack-rejected = pakketversie geweigerd
host-problem-invalid-model = ongeldig opdrachtmodel of ongeldige opdracht
host-problem-unauthorized = API-sleutel ontbreekt of is onbekend
host-problem-forbidden = niet toegestaan met deze sleutel
host-problem-not-found = niet gevonden
host-problem-method-not-allowed = methode niet toegestaan
host-problem-conflict = conflict
host-problem-precondition-failed = gewijzigd sinds het lezen
host-problem-evaluation-timeout = evaluatie duurde te lang
host-problem-unavailable = dienst niet beschikbaar
host-problem-internal = interne fout

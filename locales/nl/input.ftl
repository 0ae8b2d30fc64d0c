# Wat er mis is met een waarde van een invoer (de body van een verzoek, een parameterbestand, een
# testgeval). `{ $value }` is de waarde zoals gegeven, ingekort als ze lang is.

input-invalid = ongeldige invoer: { $problems }
input-at-path = `{ $path }`: { $problem }
input-unknown-field = onbekend veld
input-unknown-field-suggestion = onbekend veld (bedoelde u `{ $suggestion }`?)
input-missing-field = verplicht veld ontbreekt
input-wrong-type = verwacht { $expected }, gekregen { $found }
input-not-one-of = `{ $value }` is niet een van { $allowed }
input-malformed = `{ $value }` is { $valid } (voorbeeld: `{ $example }`)
input-too-small-exclusive = `{ $value }` moet groter zijn dan { $min }
input-too-small = `{ $value }` moet minstens { $min } zijn
input-too-large = `{ $value }` mag hoogstens { $max } zijn
input-bad-length = lengte { $len } buiten de grenzen ({ $min } tot { $max })
input-bad-length-unbounded = lengte { $len } buiten de grenzen ({ $min } tot ∞)
input-out-of-range = `{ $value }` valt buiten het bereik 1900–2200
input-too-early = `{ $value }` ligt vóór `{ $after }` ({ $bound }): de tijdstippen moeten elkaar opvolgen
input-out-of-bounds = deze waarde brengt een berekening buiten de grenzen ({ $detail })

## De soorten waarden
input-kind-decimal-string = een decimaal getal als tekst
input-kind-integer = een geheel getal
input-kind-string = een tekst
input-kind-boolean = een booleaanse waarde
input-kind-list = een lijst
input-kind-object = een object
input-kind-number = een getal
input-kind-date-string = een datum als tekst
input-kind-instant-string = een tijdstip als tekst
input-kind-value = een waarde
input-kind-other = { $other }

## "is geen geldige …"
input-valid-date = geen geldige datum
input-valid-instant = geen geldig tijdstip
input-valid-decimal = geen geldig decimaal getal
input-valid-integer = geen geldig geheel getal
input-valid-country = geen geldige ISO 3166-1 alpha-2-landcode
input-valid-vat-number = geen geldig btw-nummer
input-valid-other = geen geldige { $other }

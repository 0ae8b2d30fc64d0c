# Was an einem Wert einer Eingabe falsch ist (Anfragetext, Parameterdatei, Testfall).
# Deutsch: maschinell vorübersetzt und durchgesehen.

input-invalid = ungültige Eingabe: { $problems }
input-at-path = `{ $path }`: { $problem }
input-unknown-field = unbekanntes Feld
input-unknown-field-suggestion = unbekanntes Feld (meinten Sie `{ $suggestion }`?)
input-missing-field = Pflichtfeld fehlt
input-wrong-type = erwartet { $expected }, erhalten { $found }
input-not-one-of = `{ $value }` ist keiner der Werte { $allowed }
input-malformed = `{ $value }` ist { $valid } (Beispiel: `{ $example }`)
input-too-small-exclusive = `{ $value }` muss größer als { $min } sein
input-too-small = `{ $value }` muss mindestens { $min } sein
input-too-large = `{ $value }` darf höchstens { $max } sein
input-bad-length = Länge { $len } außerhalb der Grenzen ({ $min } bis { $max })
input-bad-length-unbounded = Länge { $len } außerhalb der Grenzen ({ $min } bis ∞)
input-out-of-range = `{ $value }` liegt außerhalb des Bereichs 1900–2200
input-too-early = `{ $value }` liegt vor `{ $after }` ({ $bound }): die Zeitpunkte müssen aufeinander folgen
input-out-of-bounds = dieser Wert führt eine Berechnung über ihre Grenzen ({ $detail })

## Die Arten von Werten
input-kind-decimal-string = eine Dezimalzahl als Text
input-kind-integer = eine ganze Zahl
input-kind-string = ein Text
input-kind-boolean = ein Wahrheitswert
input-kind-list = eine Liste
input-kind-object = ein Objekt
input-kind-number = eine Zahl
input-kind-date-string = ein Datum als Text
input-kind-instant-string = ein Zeitpunkt als Text
input-kind-value = ein Wert
input-kind-other = { $other }

## „ist kein …“
input-valid-date = kein gültiges Datum
input-valid-instant = kein gültiger Zeitpunkt
input-valid-decimal = keine gültige Dezimalzahl
input-valid-integer = keine gültige ganze Zahl
input-valid-country = kein gültiger Ländercode nach ISO 3166-1 alpha-2
input-valid-vat-number = keine gültige USt-IdNr.
input-valid-other = kein gültiger Wert vom Typ { $other }

# Meldungen von `missions-base`. Deutsch: maschinell vorübersetzt und durchgesehen; was hier fehlt,
# erscheint auf Englisch.

## crates/base/src/diag.rs
base-did-you-mean = meinten Sie `{ $best }`?
base-did-you-mean-after = {" "}(meinten Sie `{ $b }`?)

## crates/base/src/yaml.rs
base-check-path-taken-relative-current = prüfen Sie den Pfad; er gilt relativ zum aktuellen Verzeichnis
base-not-file = `{ $name }` ist keine Datei
base-not-valid-utf-8-byte = `{ $name }` ist kein gültiges UTF-8 (Byte { $at })
base-save-file-as-utf-8 = speichern Sie die Datei als UTF-8
base-empty = `{ $name }` ist leer
base-cannot-read = `{ $name }` kann nicht gelesen werden: { $e }
base-bytes-limit-bytes = `{ $name }` hat { $len } Bytes; die Grenze liegt bei { $max } Bytes
base-split-file-remove-generated-content = teilen Sie die Datei auf oder entfernen Sie generierten Inhalt daraus
base-invalid-yaml = ungültiges YAML: { $info }
base-check-indentation-quoting-around-this = prüfen Sie Einrückung und Anführungszeichen an dieser Stelle
base-nesting-deeper-than-levels = Verschachtelung tiefer als { $n } Ebenen
base-flatten-this-part-file = verflachen Sie diesen Teil der Datei
base-aliases-expand-more-than-bytes = Aliase werden zu mehr als { $n } Bytes erweitert
base-write-repeated-value-out-refer = schreiben Sie den wiederholten Wert aus oder verweisen Sie seltener darauf

## crates/base/src/yaml/located.rs
base-add-key-see-documentation-this = fügen Sie den Schlüssel hinzu; siehe die Dokumentation des Formats dieser Datei
base-yaml-unknown-key = unbekannter Schlüssel `{ $first }`
base-yaml-missing-key = fehlender Schlüssel `{ $first }`
base-yaml-invalid-value = ungültiger Wert: { $message }
base-remove-this-key-this-place = entfernen Sie diesen Schlüssel: diese Stelle nimmt keine Schlüssel
base-keys-allowed-here-are = die hier erlaubten Schlüssel sind { $keys }

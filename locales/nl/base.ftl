# Messages of `missions-base`

## crates/base/src/diag.rs
base-did-you-mean = bedoelde u `{ $best }`?
base-did-you-mean-after = {" "}(bedoelde u `{ $b }`?)

## crates/base/src/yaml.rs
base-check-path-taken-relative-current = controleer het pad; het is relatief tegenover de huidige map
base-not-file = `{ $name }` is geen bestand
base-not-valid-utf-8-byte = `{ $name }` is geen geldige UTF-8 (byte { $at })
base-save-file-as-utf-8 = sla het bestand op als UTF-8
base-empty = `{ $name }` is leeg
base-cannot-read = `{ $name }` kan niet gelezen worden: { $e }
base-bytes-limit-bytes = `{ $name }` is { $len } bytes groot; de grens is { $max } bytes
base-split-file-remove-generated-content = splits het bestand, of verwijder er de gegenereerde inhoud uit
base-invalid-yaml = ongeldige YAML: { $info }
base-check-indentation-quoting-around-this = controleer de inspringing en de aanhalingstekens rond deze plaats
base-nesting-deeper-than-levels = nesting dieper dan { $n } niveaus
base-flatten-this-part-file = maak dit deel van het bestand vlakker
base-aliases-expand-more-than-bytes = aliassen breiden uit tot meer dan { $n } bytes
base-write-repeated-value-out-refer = schrijf de herhaalde waarde uit, of verwijs er minder vaak naar

## crates/base/src/yaml/located.rs
base-add-key-see-documentation-this = voeg de sleutel toe; zie de documentatie van het formaat van dit bestand
base-yaml-unknown-key = onbekende sleutel `{ $first }`
base-yaml-missing-key = ontbrekende sleutel `{ $first }`
base-yaml-invalid-value = ongeldige waarde: { $message }
base-remove-this-key-this-place = verwijder deze sleutel: deze plaats neemt geen sleutels
base-keys-allowed-here-are = de toegelaten sleutels hier zijn { $keys }

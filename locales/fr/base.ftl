# Messages of `missions-base`

## crates/base/src/diag.rs
base-did-you-mean = vouliez-vous dire `{ $best }` ?
base-did-you-mean-after = {" "}(vouliez-vous dire `{ $b }` ?)

## crates/base/src/yaml.rs
base-check-path-taken-relative-current = vérifiez le chemin ; il est relatif au dossier courant
base-not-file = `{ $name }` n'est pas un fichier
base-not-valid-utf-8-byte = `{ $name }` n'est pas de l'UTF-8 valide (octet { $at })
base-save-file-as-utf-8 = enregistrez le fichier en UTF-8
base-empty = `{ $name }` est vide
base-cannot-read = impossible de lire `{ $name }` : { $e }
base-bytes-limit-bytes = `{ $name }` fait { $len } octets ; la limite est de { $max } octets
base-split-file-remove-generated-content = scindez le fichier, ou retirez-en le contenu généré
base-invalid-yaml = YAML invalide : { $info }
base-check-indentation-quoting-around-this = vérifiez l'indentation et les guillemets autour de cet endroit
base-nesting-deeper-than-levels = imbrication de plus de { $n } niveaux
base-flatten-this-part-file = aplatissez cette partie du fichier
base-aliases-expand-more-than-bytes = les alias se développent en plus de { $n } octets
base-write-repeated-value-out-refer = écrivez la valeur répétée en entier, ou faites-y moins souvent référence

## crates/base/src/yaml/located.rs
base-add-key-see-documentation-this = ajoutez la clé ; voyez la documentation du format de ce fichier
base-yaml-unknown-key = clé inconnue `{ $first }`
base-yaml-missing-key = clé manquante `{ $first }`
base-yaml-invalid-value = valeur invalide : { $message }
base-remove-this-key-this-place = retirez cette clé : cet endroit n'en prend aucune
base-keys-allowed-here-are = les clés permises ici sont { $keys }

# Ce qui ne va pas dans une valeur d'une entrée (le corps d'une requête, un fichier de paramètres,
# un cas de test). `{ $value }` est la valeur telle que donnée, coupée quand elle est longue.

input-invalid = entrée invalide : { $problems }
input-at-path = `{ $path }` : { $problem }
input-unknown-field = champ inconnu
input-unknown-field-suggestion = champ inconnu (vouliez-vous dire `{ $suggestion }` ?)
input-missing-field = champ obligatoire manquant
input-wrong-type = attendu { $expected }, reçu { $found }
input-not-one-of = `{ $value }` ne fait pas partie de { $allowed }
input-malformed = `{ $value }` n'est pas { $valid } (exemple : `{ $example }`)
input-too-small-exclusive = `{ $value }` doit être supérieur à { $min }
input-too-small = `{ $value }` doit être au moins { $min }
input-too-large = `{ $value }` doit être au plus { $max }
input-bad-length = longueur { $len } hors des limites ({ $min } à { $max })
input-bad-length-unbounded = longueur { $len } hors des limites ({ $min } à ∞)
input-out-of-range = `{ $value }` est hors de la plage 1900–2200
input-too-early = `{ $value }` est antérieur à `{ $after }` ({ $bound }) : les instants doivent se suivre
input-out-of-bounds = cette valeur mène un calcul hors limites ({ $detail })

## Les sortes de valeur
input-kind-decimal-string = un décimal en texte
input-kind-integer = un entier
input-kind-string = un texte
input-kind-boolean = un booléen
input-kind-list = une liste
input-kind-object = un objet
input-kind-number = un nombre
input-kind-date-string = une date en texte
input-kind-instant-string = un instant en texte
input-kind-value = une valeur
input-kind-other = { $other }

## « n'est pas … »
input-valid-date = une date valide
input-valid-instant = un instant valide
input-valid-decimal = un décimal valide
input-valid-integer = un entier valide
input-valid-country = un code pays ISO 3166-1 alpha-2 valide
input-valid-vat-number = un numéro de TVA valide
input-valid-other = { $other } valide

# Messages de la commande `missions` et de l'hôte HTTP.

host-no-change = aucun changement

## The headings of `missions quote`'s table
host-quote-quote = Offre
host-quote-description = Description
host-quote-quantity = Qté
host-quote-unit-price = Prix unitaire
host-quote-amount = Montant
host-quote-vat = TVA
host-quote-net-total = Total hors TVA
host-quote-vat-on = sur
host-quote-total = Total TVA comprise
host-quote-notes = Mentions
host-quote-buyer-vat = N° de TVA du client
host-quote-colon = {" "}:

## The title of each kind of problem the HTTP host answers (problem+json `title`)
host-problem-invalid-json = le corps de la requête n'est pas du JSON valide
host-problem-invalid-input = données non valides
host-problem-rule-refused = refusé par les règles
host-problem-limit-exceeded = limite dépassée
host-problem-body-too-large = corps de la requête trop volumineux
host-problem-body-timeout = corps de la requête trop lent
host-problem-unsupported-media-type = type de contenu non pris en charge
host-problem-script-error = le pack de règles a échoué
host-problem-plugin-failed = un plugin a échoué
host-problem-unknown-pack = pack inconnu
host-problem-unknown-entry = point d'entrée inconnu
host-problem-no-version = aucune version du pack en vigueur
host-problem-pack-rejected = version du pack refusée
host-problem-invalid-model = modèle de mission ou mission non valide
host-problem-unauthorized = clé d'API absente ou inconnue
host-problem-forbidden = non autorisé avec cette clé
host-problem-not-found = introuvable
host-problem-method-not-allowed = méthode non autorisée
host-problem-conflict = conflit
host-problem-precondition-failed = modifié depuis la lecture
host-problem-evaluation-timeout = délai d'évaluation dépassé
host-problem-unavailable = service indisponible
host-problem-internal = erreur interne

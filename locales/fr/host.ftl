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

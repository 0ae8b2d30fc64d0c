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

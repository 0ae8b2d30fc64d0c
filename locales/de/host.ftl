# Meldungen des Befehls `missions` und des HTTP-Hosts.

host-no-change = keine Änderung

## Die Überschriften der Tabelle von `missions quote`
host-quote-quote = Angebot
host-quote-description = Beschreibung
host-quote-quantity = Menge
host-quote-unit-price = Einzelpreis
host-quote-amount = Betrag
host-quote-vat = MwSt.
host-quote-net-total = Summe netto
host-quote-vat-on = auf
host-quote-total = Summe inkl. MwSt.
host-quote-notes = Hinweise
host-quote-buyer-vat = USt-IdNr. des Kunden
host-quote-colon = :

# Messages of the `missions` command and the HTTP host.

host-no-change = no change

## The headings of `missions quote`'s table
host-quote-quote = Quote
host-quote-description = Description
host-quote-quantity = Qty
host-quote-unit-price = Unit price
host-quote-amount = Amount
host-quote-vat = VAT
host-quote-net-total = Net total
host-quote-vat-on = on
host-quote-total = Total
host-quote-notes = Notes
host-quote-buyer-vat = Client VAT number
host-quote-colon = :

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

## The title of each kind of problem the HTTP host answers (problem+json `title`)
host-problem-invalid-json = the body is not valid JSON
host-problem-invalid-input = invalid input
host-problem-rule-refused = refused by the rules
host-problem-limit-exceeded = limit exceeded
host-problem-body-too-large = request body too large
host-problem-body-timeout = request body too slow
host-problem-unsupported-media-type = unsupported media type
host-problem-script-error = the rule pack failed
host-problem-plugin-failed = a plugin failed
host-problem-unknown-pack = unknown pack
host-problem-unknown-entry = unknown entry
host-problem-no-version = no pack version in force
host-problem-pack-rejected = pack version rejected
host-problem-invalid-model = invalid mission model or mission
host-problem-unauthorized = missing or unknown API key
host-problem-forbidden = not allowed with this key
host-problem-not-found = not found
host-problem-method-not-allowed = method not allowed
host-problem-conflict = conflict
host-problem-precondition-failed = changed since read
host-problem-evaluation-timeout = evaluation timed out
host-problem-unavailable = service unavailable
host-problem-internal = internal error

# What is wrong with one value of an input (a request's body, a parameter file, a golden case).
# `{ $value }` is the value as given, clipped when long.

input-invalid = invalid input: { $problems }
input-at-path = `{ $path }`: { $problem }
input-unknown-field = unknown field
input-unknown-field-suggestion = unknown field (did you mean `{ $suggestion }`?)
input-missing-field = missing required field
input-wrong-type = expected { $expected }, found { $found }
input-not-one-of = `{ $value }` is not one of { $allowed }
input-malformed = `{ $value }` is not { $valid } (example: `{ $example }`)
input-too-small-exclusive = `{ $value }` must be greater than { $min }
input-too-small = `{ $value }` must be at least { $min }
input-too-large = `{ $value }` must be at most { $max }
input-bad-length = length { $len } is outside { $min }..{ $max }
input-bad-length-unbounded = length { $len } is outside { $min }..
input-out-of-range = `{ $value }` is outside the supported range 1900–2200
input-too-early = `{ $value }` is earlier than `{ $after }` ({ $bound }): the instants must follow one another
input-out-of-bounds = this value takes a calculation out of range ({ $detail })

## The kinds of value, as "expected …, found …" names them
input-kind-decimal-string = a decimal string
input-kind-integer = an integer
input-kind-string = a string
input-kind-boolean = a boolean
input-kind-list = a list
input-kind-object = an object
input-kind-number = a number
input-kind-date-string = a date string
input-kind-instant-string = an instant string
input-kind-value = a value
input-kind-other = { $other }

## "is not …", for a value that is not one
input-valid-date = a valid date
input-valid-instant = a valid instant
input-valid-decimal = a valid decimal
input-valid-integer = a valid integer
input-valid-country = a valid ISO 3166-1 alpha-2 country code
input-valid-vat-number = a valid VAT number
input-valid-other = a valid { $other }

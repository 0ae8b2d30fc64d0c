# Messages of `missions-rules`: a plugin's changes to a quote that the engine refuses.

rules-adjusted-line-without-text = the proposed line `{ $code }` has no text at `{ $path }`
rules-adjusted-no-such-line = change { $k } is about line { $i }, but the quote has { $n } lines
rules-adjusted-line-twice = line { $i } is changed twice
rules-adjusted-too-many-lines = { $len } lines exceed the pack's `max_array_size` of { $max }

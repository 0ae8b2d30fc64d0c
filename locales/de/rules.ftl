# Meldungen von `missions-rules`.

rules-adjusted-line-without-text = die vorgeschlagene Zeile `{ $code }` hat keinen Text bei `{ $path }`
rules-adjusted-no-such-line = Änderung { $k } betrifft Zeile { $i }, aber das Angebot hat { $n } Zeilen
rules-adjusted-line-twice = Zeile { $i } wird zweimal geändert
rules-adjusted-too-many-lines = { $len } Zeilen überschreiten das Maximum von { $max } des Pakets

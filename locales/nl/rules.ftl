# Berichten van `missions-rules`.

rules-adjusted-line-without-text = de voorgestelde lijn `{ $code }` heeft geen tekst bij `{ $path }`
rules-adjusted-no-such-line = wijziging { $k } betreft lijn { $i }, maar de offerte heeft { $n } lijnen
rules-adjusted-line-twice = lijn { $i } wordt twee keer gewijzigd
rules-adjusted-too-many-lines = { $len } lijnen overschrijden het maximum van { $max } van het pakket

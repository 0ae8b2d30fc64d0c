# Messages de `missions-rules`.

rules-adjusted-line-without-text = la ligne `{ $code }` proposée n'a pas de texte à `{ $path }`
rules-adjusted-no-such-line = la modification { $k } vise la ligne { $i }, mais le devis a { $n } lignes
rules-adjusted-line-twice = la ligne { $i } est modifiée deux fois
rules-adjusted-too-many-lines = { $len } lignes dépassent le maximum de { $max } du pack

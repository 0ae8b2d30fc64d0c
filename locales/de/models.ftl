# Meldungen von `missions-models`. Deutsch: maschinell vorübersetzt und durchgesehen; was hier
# fehlt, erscheint auf Englisch.

## crates/models/src/check.rs
models-no-roles = das Modell hat keine `roles`
models-help-roles = fügen Sie `roles:` hinzu, eine Liste von `{"{"}id, label{"}"}`
models-roles-report-each-other-cycle = Rollen berichten einander im Kreis: { $cycle }
models-escalates-after-working-days-but = { $from } eskaliert nach { $n } Arbeitstagen, aber an keine Rolle
models-help-escalate-to = fügen Sie `escalate_to: [<Rollen>]` hinzu
models-key-points-declare-kinds-but = die Kernpunkte deklarieren Arten, aber keine `severities`
models-add-under-least-severe-first = fügen Sie `severities:` unter `key_points` hinzu, die am wenigsten schwere zuerst
models-duplicate-document-id = doppelte Dokument-ID `{ $id }`
models-first-ids-must-unique = die erste steht bei { $first_at }; IDs müssen eindeutig sein
models-no-phases = das Modell hat keine `phases`
models-help-phases = fügen Sie `phases:` hinzu, eine Liste von `{"{"}id, label, actions{"}"}`
models-phase-has-no-actions = Phase `{ $id }` hat keine Aktionen
models-change-action-use-exact-id = um Aktion `{ $best }` zu ändern, verwenden Sie ihre genaue ID
models-no-role = { $from } hat keine `role`
models-help-role = fügen Sie `role: <die verantwortliche Rolle>` hinzu
models-cannot-remove-action-action-depends = Aktion `{ $dep }` kann nicht entfernt werden: Aktion `{ $id }` hängt von ihr ab
models-remove-as-well-change = entfernen Sie auch `{ $id }` oder ändern Sie ihr `depends_on` (in `{ $file }`)
models-cannot-remove-action-action-works = Aktion `{ $gone }` kann nicht entfernt werden: Aktion `{ $id }` arbeitet mit ihrem Dokument `{ $doc }`
models-help-remove-input-too = entfernen Sie auch `{ $id }` oder ändern Sie ihre `inputs` (in `{ $file }`)
models-objective-served-no-action-risk = Ziel `{ $id }` wird von keiner Aktion und keinem Risiko bedient
models-risk-addressed-no-action = Risiko `{ $id }` wird von keiner Aktion behandelt

## crates/models/src/check_head.rs
models-invalid-model-id = ungültige Modell-ID `{ $v }`
models-no-id = das Modell hat keine `id`
models-help-id = fügen Sie `id: <Name>` am Anfang der Datei hinzu
models-language-declared-twice = Sprache `{ $lang }` ist zweimal deklariert
models-not-two-three-letter-language = `{ $lang }` ist kein Sprachcode aus zwei oder drei Buchstaben
models-use-iso-639-codes-such = verwenden Sie ISO-639-Codes wie `fr`, `nl`, `en`, `de`
models-model-declares-no = das Modell deklariert keine `languages`
models-help-languages = fügen Sie `languages: [fr, nl, en]` hinzu
models-model-has-no-label = das Modell hat keine Bezeichnung
models-help-model-label = fügen Sie `label: {"{"}fr: …, nl: …, en: …{"}"}` am Anfang der Datei hinzu
models-date-comes-from-mission-takes = Datum `{ $id }` kommt aus dem Auftrag; es nimmt keinen `default`
models-default-date = der Standardwert von Datum `{ $id }`
models-must-relative-not = { $from } muss sich auf `start` oder `closing` beziehen, nicht auf `{ $date }`

## crates/models/src/ck.rs
models-kind-unknown-date = unbekanntes Datum
models-kind-unknown-role = unbekannte Rolle
models-kind-unknown-action-type = unbekannter Aktionstyp
models-kind-unknown-objective = unbekanntes Ziel
models-kind-unknown-risk = unbekanntes Risiko
models-kind-unknown-severity = unbekannter Schweregrad
models-kind-unknown-key-point-kind = unbekannte Kernpunktart
models-kind-unknown-phase = unbekannte Phase
models-kind-unknown-action = unbekannte Aktion
models-kind-unknown-document = unbekanntes Dokument
models-owner-date = Datum `{ $id }`
models-owner-role = Rolle `{ $id }`
models-owner-action-type = Aktionstyp `{ $id }`
models-owner-objective = Ziel `{ $id }`
models-owner-risk = Risiko `{ $id }`
models-owner-severity = Schweregrad `{ $id }`
models-owner-key-point-kind = Kernpunktart `{ $id }`
models-owner-phase = Phase `{ $id }`
models-owner-action = Aktion `{ $id }`
models-owner-document = Dokument `{ $id }`
models-date = Datum
models-role = Rolle
models-action-type = Aktionstyp
models-objective = Ziel
models-risk = Risiko
models-severity = Schweregrad
models-key-point-kind = Kernpunktart
models-phase = Phase
models-action = Aktion
models-document = Dokument
models-dates = Daten
models-roles = Rollen
models-action-types = Aktionstypen
models-objectives = Ziele
models-risks = Risiken
models-severities = Schweregrade
models-key-point-kinds = Kernpunktarten
models-phases = Phasen
models-actions = Aktionen
models-documents = Dokumente
models-model = das Modell
models-invalid-id = ungültige ID von { $n } `{ $id }`
models-use-letters-digits-starting-with = verwenden Sie Buchstaben, Ziffern, `-`, `_` und `.`, beginnend mit einem Buchstaben oder einer Ziffer
models-has-no-label = { $o } hat keine Bezeichnung
models-help-label = fügen Sie `label: {"{"}{ $langs }{"}"}` hinzu
models-has-no-text = { $field } von { $o } hat keinen Text in `{ $lang }`
models-add-every-needs-text-each = fügen Sie `{ $lang }: …` hinzu; jedes { $field } braucht einen Text in jeder Sprache des Modells ({ $all })
models-text-empty = { $field } von { $o } ist in `{ $lang }` leer
models-add-model-s-remove-this = fügen Sie `{ $lang }` zu den `languages` des Modells hinzu oder entfernen Sie diesen Text
models-has-text-which-not-one = { $field } von { $o } hat einen Text in `{ $lang }`, die keine Sprache des Modells ist
models-unknown-in = { $u } `{ $name }` in { $from }
models-declares-none = das Modell deklariert keine { $n }
models-model-s-are = die { $p } des Modells sind { $all }
models-invalid-due-in = { $why } in { $from }

## crates/models/src/dashboard.rs
models-unknown-at-path = { $what } unbekannt: `{ $name }` bei `{ $path }`
models-action-listed-twice = Aktion `{ $id }` ist zweimal aufgeführt, bei `actions[{ $first }]` und `{ $path }`
models-done-after-as-of = `{ $path }.done_on` ({ $done }) liegt nach `as_of` ({ $as_of })
models-cannot-date-escalation-key-point = die Eskalation von Kernpunkt `{ $id }` kann nicht datiert werden: { $e }

## crates/models/src/due.rs
models-help-temporality = schreiben Sie es wie `10 working days after start`, `5 days before closing`, `on closing` oder `{"{"}days: 10, unit: working, after: start{"}"}`
models-temporality-takes-not-both = eine Frist nimmt `after` oder `before`, nicht beides
models-temporality-needs-mission-date = eine Frist braucht `after` oder `before` ein Auftragsdatum
models-cannot-read-temporality = die Frist `{ $t }` kann nicht gelesen werden
models-temporality-empty = die Frist ist leer

## crates/models/src/graph.rs
models-dependency-cycle = Abhängigkeitskreis: { $cycle }
models-action-cannot-depend-even-indirectly = eine Aktion kann nicht, auch nicht indirekt, von sich selbst abhängen; entfernen Sie eine dieser Abhängigkeiten
models-action-due-before-action-depends = Aktion `{ $x }` ist am { $due } fällig, vor Aktion `{ $y }`, von der sie abhängt ({ $dep_due })
models-make-due-later-earlier = machen Sie `{ $x }` später fällig oder `{ $y }` früher
models-action-works-from-own-document = Aktion `{ $x }` arbeitet mit ihrem eigenen Dokument `{ $doc_id }`
models-action-works-from-document-action = Aktion `{ $x }` arbeitet mit Dokument `{ $doc_id }` von Aktion `{ $y }`, hängt aber nicht von ihr ab
models-help-depends-on = fügen Sie `{ $y }` zu `depends_on` von `{ $x }` hinzu

## crates/models/src/inputs.rs
models-input-name-empty = `{ $path }` ist leer

## crates/models/src/load.rs
models-path-relative-directory = der Pfad gilt relativ zum Verzeichnis von `{ $from }`
models-no-model-named = kein Modell namens `{ $name }`
models-chains-more-than-models = `extends` verkettet mehr als { $MAX_EXTENDS_DEPTH } Modelle
models-must-relative-path-not = `extends` muss ein relativer Pfad sein, nicht `{ $ext }`
models-name-model-relative-directory-this = benennen Sie das Modell relativ zum Verzeichnis dieser Datei
models-models-extend-each-other-cycle = Modelle erweitern einander im Kreis: { $cycle }
models-only-model-that-another = `remove` ist nur für ein Modell, das ein anderes `extends`
models-add-delete-actions-from-this = fügen Sie `extends: <Basismodell>.yaml` hinzu oder löschen Sie die Aktionen aus dieser Datei
models-duplicate-id = doppelte ID von { $n } `{ $id }`
models-cannot-remove-unknown-action = unbekannte Aktion `{ $shown }` kann nicht entfernt werden

## crates/models/src/migrate/mod.rs
models-action-new-version-removes = `{ $path }`: Aktion `{ $id }` ist { $status }, und die neue Version entfernt sie
models-map-onto-action-new-version = ordnen Sie sie einer Aktion der neuen Version zu (`"map": {"{"}"{ $id }": "…"{"}"}`) oder verwerfen Sie ihre erfasste Arbeit (`"drop": ["{ $id }"]`)
models-key-point-concerns-action-which = `{ $path }`: Kernpunkt `{ $id }` betrifft Aktion `{ $action }`, die die neue Version entfernt
models-help-map-key-point-action = ordnen Sie `{ $action }` einer Aktion der neuen Version zu oder verwerfen Sie sie, um den Kernpunkt ohne Aktion zu behalten
models-key-point-which-new-version = `{ $path }.{ $field }`: Kernpunkt `{ $id }` hat { $field } `{ $value }`, den die neue Version nicht mehr hat
models-keep-new-version-model = behalten Sie { $field } `{ $value }` in der neuen Version des Modells
models-recorded-states-would-both-land = `map`: die erfassten Zustände von `{ $first }` und `{ $second }` würden beide auf Aktion `{ $to }` landen
models-action-has-one-state-map = eine Aktion hat einen Zustand: ordnen Sie einen davon anders zu oder verwerfen Sie einen

## crates/models/src/migrate/request.rs
models-not-action-version-missions-follow = `{ $path }`: `{ $id }` ist keine Aktion der Version, der die Aufträge folgen
models-not-action-new-version = `{ $path }`: `{ $id }` ist keine Aktion der neuen Version
models-action-still-new-version-only = `{ $path }`: Aktion `{ $id }` ist noch in der neuen Version; nur entfernte Aktionen werden zugeordnet oder verworfen
models-action-both-mapped-dropped-choose = `{ $path }`: Aktion `{ $id }` ist zugeordnet und verworfen zugleich; wählen Sie eines

## crates/models/src/plan.rs
models-unknown-role = unbekannte Rolle `{ $role }` bei `{ $path }`
models-model-s-roles-are = die Rollen des Modells sind { $roles }
models-closing-before-start = `{ $c }` ({ $cd }) liegt vor `{ $st }` ({ $sd })
models-repeats-top-level-field-give = `{ $path }` wiederholt ein Feld der obersten Ebene; geben Sie `{ $name }` einmal an, oben
models-unknown-date = unbekanntes Datum `{ $name }` bei `{ $path }`
models-model-declares-no-dates-besides = das Modell deklariert keine Daten außer `start` und `closing`
models-model-s-dates-are = die Daten des Modells sind { $dates }
models-cannot-date = { $what } kann nicht datiert werden: { $why }
models-calendar-date = Datum `{ $id }`
models-calendar-action = Aktion `{ $id }`
models-missing-date-action-due-relative = fehlendes Datum `{ $field }`: die Fälligkeit von Aktion `{ $action }` hängt davon ab
models-add-input-give-date-model = fügen Sie `"dates": {"{"}"{ $name }": "JJJJ-MM-TT"{"}"}` zur Eingabe hinzu oder geben Sie dem Datum einen `default` im Modell
models-nobody-plays-role-responsible-action = niemand besetzt die Rolle `{ $role }`, verantwortlich für { $count } Aktion(en)
models-help-staff-role = fügen Sie `"{ $role }": ["…"]` zu `{ $people }` hinzu
models-due-before-dependency = Aktion `{ $x }` ist am { $a } fällig, vor Aktion `{ $y }`, von der sie abhängt ({ $b })
models-not-working-day = `{ $field }` ({ $d }) ist kein Arbeitstag

## crates/models/src/state.rs
models-missing-field-done-action-needs = fehlendes Feld `{ $field }`: eine erledigte Aktion braucht ihr Datum
models-given-but-action-not-done = `{ $field }` ist angegeben, aber die Aktion ist nicht erledigt
models-closed-before-raised = `{ $c }` ({ $closed }) liegt vor `{ $r0 }` ({ $raised })

## crates/models/src/migrate/diff.rs: was sich zwischen zwei Versionen eines Modells geändert hat
models-diff-entry-role = Rolle
models-diff-entry-date = Auftragsdatum
models-diff-entry-key-point-kind = Kernpunktart
models-diff-entry-severity = Schweregrad
models-diff-due = { $d }
models-diff-not-dated = ohne Fälligkeit
models-diff-phase-added = Phase `{ $id }` hinzugefügt
models-diff-phase-removed = Phase `{ $id }` entfernt
models-diff-action-added = Aktion `{ $id }` zu Phase `{ $phase }` hinzugefügt
models-diff-action-removed = Aktion `{ $id }` aus Phase `{ $phase }` entfernt
models-diff-action-moved = Aktion `{ $id }` von Phase `{ $from }` nach `{ $to }` verschoben
models-diff-due-changed = Aktion `{ $id }` ist fällig: { $to } (war: { $from })
models-diff-role-changed = Aktion `{ $id }` geht von Rolle `{ $from }` an `{ $to }`
models-diff-waits-also-and-no-longer = Aktion `{ $id }` wartet jetzt auch auf { $added } und nicht mehr auf { $removed }
models-diff-waits-also = Aktion `{ $id }` wartet jetzt auch auf { $added }
models-diff-waits-no-longer = Aktion `{ $id }` wartet nicht mehr auf { $removed }
models-diff-document-added = Dokument `{ $id }` zu Aktion `{ $action }` hinzugefügt
models-diff-document-removed = Dokument `{ $id }` von Aktion `{ $action }` entfernt
models-diff-document-required = Dokument `{ $id }` ist jetzt verpflichtend
models-diff-document-optional = Dokument `{ $id }` ist jetzt optional
models-diff-entry-added = { $what } `{ $id }` hinzugefügt
models-diff-entry-removed = { $what } `{ $id }` entfernt

# Messages of `missions-models`


## crates/models/src/check.rs
models-no-roles = het model heeft geen `roles`
models-help-roles = voeg `roles:` toe, een lijst van `{"{"}id, label{"}"}`
models-roles-report-each-other-cycle = rollen rapporteren in een kring aan elkaar: { $cycle }
models-escalates-after-working-days-but = { $from } escaleert na { $n } werkdagen, maar naar geen enkele rol
models-help-escalate-to = voeg `escalate_to: [<rollen>]` toe
models-key-points-declare-kinds-but = de kernpunten declareren soorten maar geen `severities`
models-add-under-least-severe-first = voeg `severities:` toe onder `key_points`, de minst ernstige eerst
models-duplicate-document-id = dubbele document-id `{ $id }`
models-first-ids-must-unique = de eerste staat op { $first_at }; id's moeten uniek zijn
models-no-phases = het model heeft geen `phases`
models-help-phases = voeg `phases:` toe, een lijst van `{"{"}id, label, actions{"}"}`
models-phase-has-no-actions = fase `{ $id }` heeft geen acties
models-change-action-use-exact-id = om actie `{ $best }` te wijzigen, gebruik haar exacte id
models-no-role = { $from } heeft geen `role`
models-help-role = voeg `role: <de verantwoordelijke rol>` toe
models-cannot-remove-action-action-depends = actie `{ $dep }` kan niet verwijderd worden: actie `{ $id }` hangt ervan af
models-remove-as-well-change = verwijder ook `{ $id }`, of wijzig haar `depends_on` (in `{ $file }`)
models-cannot-remove-action-action-works = actie `{ $gone }` kan niet verwijderd worden: actie `{ $id }` werkt met haar document `{ $doc }`
models-help-remove-input-too = verwijder ook `{ $id }`, of wijzig haar `inputs` (in `{ $file }`)
models-objective-served-no-action-risk = doelstelling `{ $id }` wordt door geen enkele actie of risico gediend
models-risk-addressed-no-action = risico `{ $id }` wordt door geen enkele actie behandeld

## crates/models/src/check_head.rs
models-invalid-model-id = ongeldige model-id `{ $v }`
models-no-id = het model heeft geen `id`
models-help-id = voeg `id: <naam>` bovenaan het bestand toe
models-language-declared-twice = taal `{ $lang }` is twee keer gedeclareerd
models-not-two-three-letter-language = `{ $lang }` is geen taalcode van twee of drie letters
models-use-iso-639-codes-such = gebruik ISO 639-codes zoals `fr`, `nl`, `en`, `de`
models-model-declares-no = het model declareert geen `languages`
models-help-languages = voeg `languages: [fr, nl, en]` toe
models-model-has-no-label = het model heeft geen label
models-help-model-label = voeg `label: {"{"}fr: …, nl: …, en: …{"}"}` bovenaan het bestand toe
models-date-comes-from-mission-takes = datum `{ $id }` komt van de opdracht; ze neemt geen `default`
models-default-date = de standaardwaarde van datum `{ $id }`
models-must-relative-not = { $from } moet relatief zijn tegenover `start` of `closing`, niet `{ $date }`

## crates/models/src/ck.rs
models-kind-unknown-date = onbekende datum
models-kind-unknown-role = onbekende rol
models-kind-unknown-action-type = onbekend actietype
models-kind-unknown-objective = onbekende doelstelling
models-kind-unknown-risk = onbekend risico
models-kind-unknown-severity = onbekende ernst
models-kind-unknown-key-point-kind = onbekende soort kernpunt
models-kind-unknown-phase = onbekende fase
models-kind-unknown-action = onbekende actie
models-kind-unknown-document = onbekend document
models-owner-date = datum `{ $id }`
models-owner-role = rol `{ $id }`
models-owner-action-type = actietype `{ $id }`
models-owner-objective = doelstelling `{ $id }`
models-owner-risk = risico `{ $id }`
models-owner-severity = ernst `{ $id }`
models-owner-key-point-kind = soort kernpunt `{ $id }`
models-owner-phase = fase `{ $id }`
models-owner-action = actie `{ $id }`
models-owner-document = document `{ $id }`
models-date = datum
models-role = rol
models-action-type = actietype
models-objective = doelstelling
models-risk = risico
models-severity = ernst
models-key-point-kind = soort kernpunt
models-phase = fase
models-action = actie
models-document = document
models-dates = datums
models-roles = rollen
models-action-types = actietypes
models-objectives = doelstellingen
models-risks = risico's
models-severities = ernstniveaus
models-key-point-kinds = soorten kernpunten
models-phases = fasen
models-actions = acties
models-documents = documenten
models-model = het model
models-invalid-id = ongeldige id van { $n } `{ $id }`
models-use-letters-digits-starting-with = gebruik letters, cijfers, `-`, `_` en `.`, te beginnen met een letter of cijfer
models-has-no-label = { $o } heeft geen label
models-help-label = voeg `label: {"{"}{ $langs }{"}"}` toe
models-has-no-text = { $field } van { $o } heeft geen tekst in `{ $lang }`
models-add-every-needs-text-each = voeg `{ $lang }: …` toe; elk { $field } heeft een tekst nodig in elke taal van het model ({ $all })
models-text-empty = { $field } van { $o } is leeg in `{ $lang }`
models-add-model-s-remove-this = voeg `{ $lang }` toe aan de `languages` van het model, of verwijder deze tekst
models-has-text-which-not-one = { $field } van { $o } heeft een tekst in `{ $lang }`, wat geen taal van het model is
models-unknown-in = { $u } `{ $name }` in { $from }
models-declares-none = het model declareert geen { $n }
models-model-s-are = de { $p } van het model zijn { $all }
models-invalid-due-in = { $why } in { $from }

## crates/models/src/dashboard.rs
models-unknown-at-path = onbekende { $what } `{ $name }` op `{ $path }`
models-action-listed-twice = actie `{ $id }` staat er twee keer, op `actions[{ $first }]` en op `{ $path }`
models-done-after-as-of = `{ $path }.done_on` ({ $done }) valt na `as_of` ({ $as_of })
models-cannot-date-escalation-key-point = de escalatie van kernpunt `{ $id }` kan niet gedateerd worden: { $e }

## crates/models/src/due.rs
models-help-temporality = schrijf ze zoals `10 working days after start`, `5 days before closing`, `on closing`, of `{"{"}days: 10, unit: working, after: start{"}"}`
models-temporality-takes-not-both = een termijn neemt `after` of `before`, niet beide
models-temporality-needs-mission-date = een termijn heeft `after` of `before` een opdrachtdatum nodig
models-cannot-read-temporality = de termijn `{ $t }` kan niet gelezen worden
models-temporality-empty = de termijn is leeg

## crates/models/src/graph.rs
models-dependency-cycle = kringafhankelijkheid: { $cycle }
models-action-cannot-depend-even-indirectly = een actie kan niet, zelfs niet onrechtstreeks, van zichzelf afhangen; verwijder een van deze afhankelijkheden
models-action-due-before-action-depends = actie `{ $x }` vervalt „{ $due }”, vóór actie `{ $y }` waarvan ze afhangt („{ $dep_due }”)
models-make-due-later-earlier = laat `{ $x }` later vervallen, of `{ $y }` vroeger
models-action-works-from-own-document = actie `{ $x }` werkt met haar eigen document `{ $doc_id }`
models-action-works-from-document-action = actie `{ $x }` werkt met document `{ $doc_id }` van actie `{ $y }`, maar hangt er niet van af
models-help-depends-on = voeg `{ $y }` toe aan de `depends_on` van `{ $x }`

## crates/models/src/inputs.rs
models-input-name-empty = `{ $path }` is leeg

## crates/models/src/load.rs
models-path-relative-directory = het pad is relatief tegenover de map van `{ $from }`
models-no-model-named = geen model met de naam `{ $name }`
models-chains-more-than-models = `extends` koppelt meer dan { $MAX_EXTENDS_DEPTH } modellen
models-must-relative-path-not = `extends` moet een relatief pad zijn, niet `{ $ext }`
models-name-model-relative-directory-this = benoem het model relatief tegenover de map van dit bestand
models-models-extend-each-other-cycle = modellen breiden elkaar in een kring uit: { $cycle }
models-only-model-that-another = `remove` dient enkel voor een model dat een ander `extends`
models-add-delete-actions-from-this = voeg `extends: <basismodel>.yaml` toe, of verwijder de acties uit dit bestand
models-duplicate-id = dubbele id van { $n } `{ $id }`
models-cannot-remove-unknown-action = onbekende actie `{ $shown }` kan niet verwijderd worden

## crates/models/src/migrate/mod.rs
models-action-new-version-removes = `{ $path }`: actie `{ $id }` is { $status } en de nieuwe versie verwijdert ze
models-map-onto-action-new-version = zet ze over naar een actie van de nieuwe versie (`"map": {"{"}"{ $id }": "…"{"}"}`) of laat het geregistreerde werk vallen (`"drop": ["{ $id }"]`)
models-key-point-concerns-action-which = `{ $path }`: kernpunt `{ $id }` betreft actie `{ $action }`, die de nieuwe versie verwijdert
models-help-map-key-point-action = zet `{ $action }` over naar een actie van de nieuwe versie, of laat ze vallen om het kernpunt zonder actie te bewaren
models-key-point-which-new-version = `{ $path }.{ $field }`: kernpunt `{ $id }` heeft { $field } `{ $value }`, dat de nieuwe versie niet meer kent
models-keep-new-version-model = behoud { $field } `{ $value }` in de nieuwe versie van het model
models-recorded-states-would-both-land = `map`: de geregistreerde toestanden van `{ $first }` en `{ $second }` zouden allebei op actie `{ $to }` belanden
models-action-has-one-state-map = een actie heeft één toestand: zet er één elders over, of laat er één vallen

## crates/models/src/migrate/request.rs
models-not-action-version-missions-follow = `{ $path }`: `{ $id }` is geen actie van de versie die de opdrachten volgen
models-not-action-new-version = `{ $path }`: `{ $id }` is geen actie van de nieuwe versie
models-action-still-new-version-only = `{ $path }`: actie `{ $id }` bestaat nog in de nieuwe versie; enkel verwijderde acties worden overgezet of vallen gelaten
models-action-both-mapped-dropped-choose = `{ $path }`: actie `{ $id }` wordt tegelijk overgezet en vallen gelaten; kies één

## crates/models/src/plan.rs
models-unknown-role = onbekende rol `{ $role }` op `{ $path }`
models-model-s-roles-are = de rollen van het model zijn { $roles }
models-closing-before-start = `{ $c }` ({ $cd }) valt vóór `{ $st }` ({ $sd })
models-repeats-top-level-field-give = `{ $path }` herhaalt een veld van het hoogste niveau; geef `{ $name }` één keer, bovenaan
models-unknown-date = onbekende datum `{ $name }` op `{ $path }`
models-model-declares-no-dates-besides = het model declareert geen andere datums dan `start` en `closing`
models-model-s-dates-are = de datums van het model zijn { $dates }
models-cannot-date = { $what } kan niet gedateerd worden: { $why }
models-calendar-date = datum `{ $id }`
models-calendar-action = actie `{ $id }`
models-missing-date-action-due-relative = ontbrekende datum `{ $field }`: de vervaldag van actie `{ $action }` hangt ervan af
models-add-input-give-date-model = voeg `"dates": {"{"}"{ $name }": "JJJJ-MM-DD"{"}"}` toe aan de invoer, of geef de datum een `default` in het model
models-nobody-plays-role-responsible-action = niemand vervult rol `{ $role }`, verantwoordelijk voor { $count } actie(s)
models-help-staff-role = voeg `"{ $role }": ["…"]` toe aan `{ $people }`
models-due-before-dependency = actie `{ $x }` vervalt op { $a }, vóór actie `{ $y }` waarvan ze afhangt ({ $b })
models-not-working-day = `{ $field }` ({ $d }) is geen werkdag

## crates/models/src/state.rs
models-missing-field-done-action-needs = ontbrekend veld `{ $field }`: een uitgevoerde actie heeft haar datum nodig
models-given-but-action-not-done = `{ $field }` is opgegeven maar de actie is niet uitgevoerd
models-closed-before-raised = `{ $c }` ({ $closed }) valt vóór `{ $r0 }` ({ $raised })

## crates/models/src/migrate/diff.rs: what changed between two versions of a model
models-diff-entry-role = rol
models-diff-entry-date = opdrachtdatum
models-diff-entry-key-point-kind = soort kernpunt
models-diff-entry-severity = ernst
models-diff-due = { $d }
models-diff-not-dated = zonder vervaldag
models-diff-phase-added = fase `{ $id }` toegevoegd
models-diff-phase-removed = fase `{ $id }` verwijderd
models-diff-action-added = actie `{ $id }` toegevoegd aan fase `{ $phase }`
models-diff-action-removed = actie `{ $id }` verwijderd uit fase `{ $phase }`
models-diff-action-moved = actie `{ $id }` verplaatst van fase `{ $from }` naar `{ $to }`
models-diff-due-changed = de vervaldag van actie `{ $id }` wordt „{ $to }” (was „{ $from }”)
models-diff-role-changed = actie `{ $id }` gaat van rol `{ $from }` naar `{ $to }`
models-diff-waits-also-and-no-longer = actie `{ $id }` wacht nu ook op { $added }, en niet meer op { $removed }
models-diff-waits-also = actie `{ $id }` wacht nu ook op { $added }
models-diff-waits-no-longer = actie `{ $id }` wacht niet meer op { $removed }
models-diff-document-added = document `{ $id }` toegevoegd aan actie `{ $action }`
models-diff-document-removed = document `{ $id }` van actie `{ $action }` verwijderd
models-diff-document-required = document `{ $id }` wordt verplicht
models-diff-document-optional = document `{ $id }` wordt optioneel
models-diff-entry-added = { $what } `{ $id }` toegevoegd
models-diff-entry-removed = { $what } `{ $id }` verwijderd

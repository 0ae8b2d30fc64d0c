# Messages of `missions-models`


## crates/models/src/check.rs
models-no-roles = the model has no `roles`
models-help-roles = add `roles:`, a list of `{"{"}id, label{"}"}`
models-roles-report-each-other-cycle = roles report to each other in a cycle: { $cycle }
models-escalates-after-working-days-but = { $from } escalates after { $n } working days, but to no role
models-help-escalate-to = add `escalate_to: [<roles>]`
models-key-points-declare-kinds-but = key points declare kinds but no `severities`
models-add-under-least-severe-first = add `severities:` under `key_points`, the least severe first
models-duplicate-document-id = duplicate document id `{ $id }`
models-first-ids-must-unique = the first is at { $first_at }; ids must be unique
models-no-phases = the model has no `phases`
models-help-phases = add `phases:`, a list of `{"{"}id, label, actions{"}"}`
models-phase-has-no-actions = phase `{ $id }` has no actions
models-change-action-use-exact-id = to change action `{ $best }`, use its exact id
models-no-role = { $from } has no `role`
models-help-role = add `role: <the responsible role>`
models-cannot-remove-action-action-depends = cannot remove action `{ $dep }`: action `{ $id }` depends on it
models-remove-as-well-change = remove `{ $id }` as well, or change its `depends_on` (in `{ $file }`)
models-cannot-remove-action-action-works = cannot remove action `{ $gone }`: action `{ $id }` works from its document `{ $doc }`
models-help-remove-input-too = remove `{ $id }` as well, or change its `inputs` (in `{ $file }`)
models-objective-served-no-action-risk = objective `{ $id }` is served by no action or risk
models-risk-addressed-no-action = risk `{ $id }` is addressed by no action

## crates/models/src/check_head.rs
models-invalid-model-id = invalid model id `{ $v }`
models-no-id = the model has no `id`
models-help-id = add `id: <name>` at the top of the file
models-language-declared-twice = language `{ $lang }` is declared twice
models-not-two-three-letter-language = `{ $lang }` is not a two- or three-letter language code
models-use-iso-639-codes-such = use ISO 639 codes such as `fr`, `nl`, `en`, `de`
models-model-declares-no = the model declares no `languages`
models-help-languages = add `languages: [fr, nl, en]`
models-model-has-no-label = the model has no label
models-help-model-label = add `label: {"{"}fr: …, nl: …, en: …{"}"}` at the top of the file
models-date-comes-from-mission-takes = date `{ $id }` comes from the mission; it takes no `default`
models-default-date = the default of date `{ $id }`
models-must-relative-not = { $from } must be relative to `start` or `closing`, not `{ $date }`

## crates/models/src/ck.rs
models-kind-unknown-date = unknown date
models-kind-unknown-role = unknown role
models-kind-unknown-action-type = unknown action type
models-kind-unknown-objective = unknown objective
models-kind-unknown-risk = unknown risk
models-kind-unknown-severity = unknown severity
models-kind-unknown-key-point-kind = unknown key point kind
models-kind-unknown-phase = unknown phase
models-kind-unknown-action = unknown action
models-kind-unknown-document = unknown document
models-owner-date = date `{ $id }`
models-owner-role = role `{ $id }`
models-owner-action-type = action type `{ $id }`
models-owner-objective = objective `{ $id }`
models-owner-risk = risk `{ $id }`
models-owner-severity = severity `{ $id }`
models-owner-key-point-kind = key point kind `{ $id }`
models-owner-phase = phase `{ $id }`
models-owner-action = action `{ $id }`
models-owner-document = document `{ $id }`
models-date = date
models-role = role
models-action-type = action type
models-objective = objective
models-risk = risk
models-severity = severity
models-key-point-kind = key point kind
models-phase = phase
models-action = action
models-document = document
models-dates = dates
models-roles = roles
models-action-types = action types
models-objectives = objectives
models-risks = risks
models-severities = severities
models-key-point-kinds = key point kinds
models-phases = phases
models-actions = actions
models-documents = documents
models-model = the model
models-invalid-id = invalid { $n } id `{ $id }`
models-use-letters-digits-starting-with = use letters, digits, `-`, `_` and `.`, starting with a letter or digit
models-has-no-label = { $o } has no label
models-help-label = add `label: {"{"}{ $langs }{"}"}`
models-has-no-text = { $field } of { $o } has no `{ $lang }` text
models-add-every-needs-text-each = add `{ $lang }: …`; every { $field } needs a text in each of the model's languages ({ $all })
models-text-empty = { $field } of { $o } is empty in `{ $lang }`
models-add-model-s-remove-this = add `{ $lang }` to the model's `languages`, or remove this text
models-has-text-which-not-one = { $field } of { $o } has a text in `{ $lang }`, which is not one of the model's languages
models-unknown-in = { $u } `{ $name }` in { $from }
models-declares-none = the model declares no { $n }
models-model-s-are = the model's { $p } are { $all }
models-invalid-due-in = { $why } in { $from }

## crates/models/src/dashboard.rs
models-unknown-at-path = unknown { $what } `{ $name }` at `{ $path }`
models-action-listed-twice = action `{ $id }` is listed twice, at `actions[{ $first }]` and `{ $path }`
models-done-after-as-of = `{ $path }.done_on` ({ $done }) is after `as_of` ({ $as_of })
models-cannot-date-escalation-key-point = cannot date the escalation of key point `{ $id }`: { $e }

## crates/models/src/due.rs
models-help-temporality = write it like `10 working days after start`, `5 days before closing`, `on closing`, or `{"{"}days: 10, unit: working, after: start{"}"}`
models-temporality-takes-not-both = a temporality takes `after` or `before`, not both
models-temporality-needs-mission-date = a temporality needs `after` or `before` a mission date
models-cannot-read-temporality = cannot read the temporality `{ $t }`
models-temporality-empty = the temporality is empty

## crates/models/src/graph.rs
models-dependency-cycle = dependency cycle: { $cycle }
models-action-cannot-depend-even-indirectly = an action cannot depend, even indirectly, on itself; remove one of these dependencies
models-action-due-before-action-depends = action `{ $x }` is due { $due }, before action `{ $y }` it depends on ({ $dep_due })
models-make-due-later-earlier = make `{ $x }` due later, or `{ $y }` earlier
models-action-works-from-own-document = action `{ $x }` works from its own document `{ $doc_id }`
models-action-works-from-document-action = action `{ $x }` works from document `{ $doc_id }` of action `{ $y }`, but does not depend on it
models-help-depends-on = add `{ $y }` to the `depends_on` of `{ $x }`

## crates/models/src/inputs.rs
models-input-name-empty = `{ $path }` is empty

## crates/models/src/load.rs
models-path-relative-directory = the path is relative to the directory of `{ $from }`
models-no-model-named = no model named `{ $name }`
models-chains-more-than-models = `extends` chains more than { $MAX_EXTENDS_DEPTH } models
models-must-relative-path-not = `extends` must be a relative path, not `{ $ext }`
models-name-model-relative-directory-this = name the model relative to the directory of this file
models-models-extend-each-other-cycle = models extend each other in a cycle: { $cycle }
models-only-model-that-another = `remove` is only for a model that `extends` another
models-add-delete-actions-from-this = add `extends: <base model>.yaml`, or delete the actions from this file
models-duplicate-id = duplicate { $n } id `{ $id }`
models-cannot-remove-unknown-action = cannot remove unknown action `{ $shown }`

## crates/models/src/migrate/mod.rs
models-action-new-version-removes = `{ $path }`: action `{ $id }` is { $status } and the new version removes it
models-map-onto-action-new-version = map it onto an action of the new version (`"map": {"{"}"{ $id }": "…"{"}"}`) or drop its recorded work (`"drop": ["{ $id }"]`)
models-key-point-concerns-action-which = `{ $path }`: key point `{ $id }` concerns action `{ $action }`, which the new version removes
models-help-map-key-point-action = map `{ $action }` onto an action of the new version, or drop it to keep the key point without an action
models-key-point-which-new-version = `{ $path }.{ $field }`: key point `{ $id }` is of { $field } `{ $value }`, which the new version no longer has
models-keep-new-version-model = keep { $field } `{ $value }` in the new version of the model
models-recorded-states-would-both-land = `map`: the recorded states of `{ $first }` and `{ $second }` would both land on action `{ $to }`
models-action-has-one-state-map = an action has one state: map one of them elsewhere, or drop one

## crates/models/src/migrate/request.rs
models-not-action-version-missions-follow = `{ $path }`: `{ $id }` is not an action of the version the missions follow
models-not-action-new-version = `{ $path }`: `{ $id }` is not an action of the new version
models-action-still-new-version-only = `{ $path }`: action `{ $id }` is still in the new version; only removed actions are mapped or dropped
models-action-both-mapped-dropped-choose = `{ $path }`: action `{ $id }` is both mapped and dropped; choose one

## crates/models/src/plan.rs
models-unknown-role = unknown role `{ $role }` at `{ $path }`
models-model-s-roles-are = the model's roles are { $roles }
models-closing-before-start = `{ $c }` ({ $cd }) is before `{ $st }` ({ $sd })
models-repeats-top-level-field-give = `{ $path }` repeats a top-level field; give `{ $name }` once, at the top
models-unknown-date = unknown date `{ $name }` at `{ $path }`
models-model-declares-no-dates-besides = the model declares no dates besides `start` and `closing`
models-model-s-dates-are = the model's dates are { $dates }
models-cannot-date = cannot date { $what }: { $why }
models-calendar-date = date `{ $id }`
models-calendar-action = action `{ $id }`
models-missing-date-action-due-relative = missing date `{ $field }`: action `{ $action }` is due relative to it
models-add-input-give-date-model = add `"dates": {"{"}"{ $name }": "YYYY-MM-DD"{"}"}` to the input, or give the date a `default` in the model
models-nobody-plays-role-responsible-action = nobody plays role `{ $role }`, responsible for { $count } action(s)
models-help-staff-role = add `"{ $role }": ["…"]` to `{ $people }`
models-due-before-dependency = action `{ $x }` is due { $a }, before action `{ $y }` it depends on ({ $b })
models-not-working-day = `{ $field }` ({ $d }) is not a working day

## crates/models/src/state.rs
models-missing-field-done-action-needs = missing field `{ $field }`: a done action needs its date
models-given-but-action-not-done = `{ $field }` is given but the action is not done
models-closed-before-raised = `{ $c }` ({ $closed }) is before `{ $r0 }` ({ $raised })

## crates/models/src/migrate/diff.rs: what changed between two versions of a model
models-diff-entry-role = role
models-diff-entry-date = mission date
models-diff-entry-key-point-kind = key point kind
models-diff-entry-severity = severity
models-diff-due = { $d }
models-diff-not-dated = not dated
models-diff-phase-added = phase `{ $id }` added
models-diff-phase-removed = phase `{ $id }` removed
models-diff-action-added = action `{ $id }` added to phase `{ $phase }`
models-diff-action-removed = action `{ $id }` removed from phase `{ $phase }`
models-diff-action-moved = action `{ $id }` moved from phase `{ $from }` to `{ $to }`
models-diff-due-changed = action `{ $id }` is due { $to } (was { $from })
models-diff-role-changed = action `{ $id }` goes from role `{ $from }` to `{ $to }`
models-diff-waits-also-and-no-longer = action `{ $id }` now also waits for { $added }, and no longer for { $removed }
models-diff-waits-also = action `{ $id }` now also waits for { $added }
models-diff-waits-no-longer = action `{ $id }` no longer waits for { $removed }
models-diff-document-added = document `{ $id }` added to action `{ $action }`
models-diff-document-removed = document `{ $id }` of action `{ $action }` removed
models-diff-document-required = document `{ $id }` is now required
models-diff-document-optional = document `{ $id }` is now optional
models-diff-entry-added = { $what } `{ $id }` added
models-diff-entry-removed = { $what } `{ $id }` removed

# Messages of `missions-models`


## crates/models/src/check.rs
models-no-roles = le modèle n'a pas de `roles`
models-help-roles = ajoutez `roles:`, une liste de `{"{"}id, label{"}"}`
models-roles-report-each-other-cycle = des rôles se rapportent l'un à l'autre en boucle : { $cycle }
models-escalates-after-working-days-but = { $from } escalade après { $n } jours ouvrables, mais vers aucun rôle
models-help-escalate-to = ajoutez `escalate_to: [<rôles>]`
models-key-points-declare-kinds-but = les points clés déclarent des types mais pas de `severities`
models-add-under-least-severe-first = ajoutez `severities:` sous `key_points`, la moins grave d'abord
models-duplicate-document-id = identifiant de document en double `{ $id }`
models-first-ids-must-unique = le premier est à { $first_at } ; les identifiants doivent être uniques
models-no-phases = le modèle n'a pas de `phases`
models-help-phases = ajoutez `phases:`, une liste de `{"{"}id, label, actions{"}"}`
models-phase-has-no-actions = la phase `{ $id }` n'a pas d'actions
models-change-action-use-exact-id = pour modifier l'action `{ $best }`, utilisez son identifiant exact
models-no-role = { $from } n'a pas de `role`
models-help-role = ajoutez `role: <le rôle responsable>`
models-cannot-remove-action-action-depends = impossible de retirer l'action `{ $dep }` : l'action `{ $id }` en dépend
models-remove-as-well-change = retirez aussi `{ $id }`, ou modifiez son `depends_on` (dans `{ $file }`)
models-cannot-remove-action-action-works = impossible de retirer l'action `{ $gone }` : l'action `{ $id }` travaille à partir de son document `{ $doc }`
models-help-remove-input-too = retirez aussi `{ $id }`, ou modifiez ses `inputs` (dans `{ $file }`)
models-objective-served-no-action-risk = l'objectif `{ $id }` n'est servi par aucune action ni aucun risque
models-risk-addressed-no-action = le risque `{ $id }` n'est traité par aucune action

## crates/models/src/check_head.rs
models-invalid-model-id = identifiant de modèle invalide `{ $v }`
models-no-id = le modèle n'a pas d'`id`
models-help-id = ajoutez `id: <nom>` en tête du fichier
models-language-declared-twice = la langue `{ $lang }` est déclarée deux fois
models-not-two-three-letter-language = `{ $lang }` n'est pas un code de langue de deux ou trois lettres
models-use-iso-639-codes-such = utilisez des codes ISO 639 comme `fr`, `nl`, `en`, `de`
models-model-declares-no = le modèle ne déclare pas de `languages`
models-help-languages = ajoutez `languages: [fr, nl, en]`
models-model-has-no-label = le modèle n'a pas de libellé
models-help-model-label = ajoutez `label: {"{"}fr: …, nl: …, en: …{"}"}` en tête du fichier
models-date-comes-from-mission-takes = la date `{ $id }` vient de la mission ; elle ne prend pas de `default`
models-default-date = la valeur par défaut de la date `{ $id }`
models-must-relative-not = { $from } doit être relative à `start` ou `closing`, pas à `{ $date }`

## crates/models/src/ck.rs
models-kind-unknown-date = date inconnue
models-kind-unknown-role = rôle inconnu
models-kind-unknown-action-type = type d'action inconnu
models-kind-unknown-objective = objectif inconnu
models-kind-unknown-risk = risque inconnu
models-kind-unknown-severity = gravité inconnue
models-kind-unknown-key-point-kind = type de point clé inconnu
models-kind-unknown-phase = phase inconnue
models-kind-unknown-action = action inconnue
models-kind-unknown-document = document inconnu
models-owner-date = la date `{ $id }`
models-owner-role = le rôle `{ $id }`
models-owner-action-type = le type d'action `{ $id }`
models-owner-objective = l'objectif `{ $id }`
models-owner-risk = le risque `{ $id }`
models-owner-severity = la gravité `{ $id }`
models-owner-key-point-kind = le type de point clé `{ $id }`
models-owner-phase = la phase `{ $id }`
models-owner-action = l'action `{ $id }`
models-owner-document = le document `{ $id }`
models-date = date
models-role = rôle
models-action-type = type d'action
models-objective = objectif
models-risk = risque
models-severity = gravité
models-key-point-kind = type de point clé
models-phase = phase
models-action = action
models-document = document
models-dates = dates
models-roles = rôles
models-action-types = types d'action
models-objectives = objectifs
models-risks = risques
models-severities = gravités
models-key-point-kinds = types de points clés
models-phases = phases
models-actions = actions
models-documents = documents
models-model = le modèle
models-invalid-id = identifiant de { $n } invalide `{ $id }`
models-use-letters-digits-starting-with = utilisez des lettres, des chiffres, `-`, `_` et `.`, en commençant par une lettre ou un chiffre
models-has-no-label = { $o } n'a pas de libellé
models-help-label = ajoutez `label: {"{"}{ $langs }{"}"}`
models-has-no-text = le champ { $field } de { $o } n'a pas de texte `{ $lang }`
models-add-every-needs-text-each = ajoutez `{ $lang }: …` ; chaque { $field } a besoin d'un texte dans chaque langue du modèle ({ $all })
models-text-empty = le champ { $field } de { $o } est vide en `{ $lang }`
models-add-model-s-remove-this = ajoutez `{ $lang }` aux `languages` du modèle, ou retirez ce texte
models-has-text-which-not-one = le champ { $field } de { $o } a un texte en `{ $lang }`, qui n'est pas une langue du modèle
models-unknown-in = { $u } `{ $name }` dans { $from }
models-declares-none = le modèle ne déclare aucun(e) { $n }
models-model-s-are = les { $p } du modèle sont { $all }
models-invalid-due-in = { $why } dans { $from }

## crates/models/src/dashboard.rs
models-unknown-at-path = { $what } inconnu(e) `{ $name }` à `{ $path }`
models-action-listed-twice = l'action `{ $id }` figure deux fois, à `actions[{ $first }]` et à `{ $path }`
models-done-after-as-of = `{ $path }.done_on` ({ $done }) est postérieur à `as_of` ({ $as_of })
models-cannot-date-escalation-key-point = impossible de dater l'escalade du point clé `{ $id }` : { $e }

## crates/models/src/due.rs
models-help-temporality = écrivez-la comme `10 working days after start`, `5 days before closing`, `on closing`, ou `{"{"}days: 10, unit: working, after: start{"}"}`
models-temporality-takes-not-both = une échéance prend `after` ou `before`, pas les deux
models-temporality-needs-mission-date = une échéance a besoin de `after` ou `before` une date de mission
models-cannot-read-temporality = impossible de lire l'échéance `{ $t }`
models-temporality-empty = l'échéance est vide

## crates/models/src/graph.rs
models-dependency-cycle = dépendances en boucle : { $cycle }
models-action-cannot-depend-even-indirectly = une action ne peut dépendre d'elle-même, même indirectement ; retirez l'une de ces dépendances
models-action-due-before-action-depends = l'action `{ $x }` est due « { $due } », avant l'action `{ $y }` dont elle dépend (« { $dep_due } »)
models-make-due-later-earlier = rendez `{ $x }` due plus tard, ou `{ $y }` plus tôt
models-action-works-from-own-document = l'action `{ $x }` travaille à partir de son propre document `{ $doc_id }`
models-action-works-from-document-action = l'action `{ $x }` travaille à partir du document `{ $doc_id }` de l'action `{ $y }`, mais n'en dépend pas
models-help-depends-on = ajoutez `{ $y }` au `depends_on` de `{ $x }`

## crates/models/src/inputs.rs
models-input-name-empty = `{ $path }` est vide

## crates/models/src/load.rs
models-path-relative-directory = le chemin est relatif au dossier de `{ $from }`
models-no-model-named = aucun modèle nommé `{ $name }`
models-chains-more-than-models = `extends` enchaîne plus de { $MAX_EXTENDS_DEPTH } modèles
models-must-relative-path-not = `extends` doit être un chemin relatif, pas `{ $ext }`
models-name-model-relative-directory-this = nommez le modèle par rapport au dossier de ce fichier
models-models-extend-each-other-cycle = des modèles s'étendent l'un l'autre en boucle : { $cycle }
models-only-model-that-another = `remove` ne sert qu'à un modèle qui en `extends` un autre
models-add-delete-actions-from-this = ajoutez `extends: <modèle de base>.yaml`, ou supprimez les actions de ce fichier
models-duplicate-id = identifiant de { $n } en double `{ $id }`
models-cannot-remove-unknown-action = impossible de retirer l'action inconnue `{ $shown }`

## crates/models/src/migrate/mod.rs
models-action-new-version-removes = `{ $path }` : l'action `{ $id }` est { $status } et la nouvelle version la supprime
models-map-onto-action-new-version = reportez-la sur une action de la nouvelle version (`"map": {"{"}"{ $id }": "…"{"}"}`) ou abandonnez son travail enregistré (`"drop": ["{ $id }"]`)
models-key-point-concerns-action-which = `{ $path }` : le point clé `{ $id }` concerne l'action `{ $action }`, que la nouvelle version supprime
models-help-map-key-point-action = reportez `{ $action }` sur une action de la nouvelle version, ou abandonnez-la pour garder le point clé sans action
models-key-point-which-new-version = `{ $path }.{ $field }` : le point clé `{ $id }` a le champ { $field } `{ $value }`, que la nouvelle version n'a plus
models-keep-new-version-model = gardez { $field } `{ $value }` dans la nouvelle version du modèle
models-recorded-states-would-both-land = `map` : les états enregistrés de `{ $first }` et de `{ $second }` aboutiraient tous deux sur l'action `{ $to }`
models-action-has-one-state-map = une action n'a qu'un état : reportez l'une ailleurs, ou abandonnez-en une

## crates/models/src/migrate/request.rs
models-not-action-version-missions-follow = `{ $path }` : `{ $id }` n'est pas une action de la version que suivent les missions
models-not-action-new-version = `{ $path }` : `{ $id }` n'est pas une action de la nouvelle version
models-action-still-new-version-only = `{ $path }` : l'action `{ $id }` existe toujours dans la nouvelle version ; seules les actions supprimées se reportent ou s'abandonnent
models-action-both-mapped-dropped-choose = `{ $path }` : l'action `{ $id }` est à la fois reportée et abandonnée ; choisissez

## crates/models/src/plan.rs
models-unknown-role = rôle inconnu `{ $role }` à `{ $path }`
models-model-s-roles-are = les rôles du modèle sont { $roles }
models-closing-before-start = `{ $c }` ({ $cd }) est antérieur à `{ $st }` ({ $sd })
models-repeats-top-level-field-give = `{ $path }` répète un champ de premier niveau ; donnez `{ $name }` une fois, au premier niveau
models-unknown-date = date inconnue `{ $name }` à `{ $path }`
models-model-declares-no-dates-besides = le modèle ne déclare pas d'autres dates que `start` et `closing`
models-model-s-dates-are = les dates du modèle sont { $dates }
models-cannot-date = impossible de dater { $what } : { $why }
models-calendar-date = la date `{ $id }`
models-calendar-action = l'action `{ $id }`
models-missing-date-action-due-relative = date manquante `{ $field }` : l'échéance de l'action `{ $action }` en dépend
models-add-input-give-date-model = ajoutez `"dates": {"{"}"{ $name }": "AAAA-MM-JJ"{"}"}` à l'entrée, ou donnez à la date un `default` dans le modèle
models-nobody-plays-role-responsible-action = personne ne joue le rôle `{ $role }`, responsable de { $count } action(s)
models-help-staff-role = ajoutez `"{ $role }": ["…"]` à `{ $people }`
models-due-before-dependency = l'action `{ $x }` est due le { $a }, avant l'action `{ $y }` dont elle dépend ({ $b })
models-not-working-day = `{ $field }` ({ $d }) n'est pas un jour ouvrable

## crates/models/src/state.rs
models-missing-field-done-action-needs = champ manquant `{ $field }` : une action faite a besoin de sa date
models-given-but-action-not-done = `{ $field }` est donné mais l'action n'est pas faite
models-closed-before-raised = `{ $c }` ({ $closed }) est antérieur à `{ $r0 }` ({ $raised })

## crates/models/src/migrate/diff.rs: what changed between two versions of a model
models-diff-entry-role = rôle
models-diff-entry-date = date de mission
models-diff-entry-key-point-kind = type de point clé
models-diff-entry-severity = gravité
models-diff-due = { $d }
models-diff-not-dated = sans échéance
models-diff-phase-added = phase `{ $id }` ajoutée
models-diff-phase-removed = phase `{ $id }` supprimée
models-diff-action-added = action `{ $id }` ajoutée à la phase `{ $phase }`
models-diff-action-removed = action `{ $id }` retirée de la phase `{ $phase }`
models-diff-action-moved = action `{ $id }` déplacée de la phase `{ $from }` vers `{ $to }`
models-diff-due-changed = l'échéance de l'action `{ $id }` devient « { $to } » (au lieu de « { $from } »)
models-diff-role-changed = l'action `{ $id }` passe du rôle `{ $from }` à `{ $to }`
models-diff-waits-also-and-no-longer = l'action `{ $id }` attend désormais aussi { $added }, et plus { $removed }
models-diff-waits-also = l'action `{ $id }` attend désormais aussi { $added }
models-diff-waits-no-longer = l'action `{ $id }` n'attend plus { $removed }
models-diff-document-added = document `{ $id }` ajouté à l'action `{ $action }`
models-diff-document-removed = document `{ $id }` de l'action `{ $action }` supprimé
models-diff-document-required = le document `{ $id }` devient obligatoire
models-diff-document-optional = le document `{ $id }` devient facultatif
models-diff-entry-added = { $what } `{ $id }` ajouté(e)
models-diff-entry-removed = { $what } `{ $id }` supprimé(e)

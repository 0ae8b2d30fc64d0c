//! The host probed from outside, as a careless client or an attacker would: every defect found
//! that way has a test here, through the same router the server runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "http_common.rs"]
mod common;

use axum::http::StatusCode;
use common::{ADMIN, Service, price_pack, upload};

/// An uploaded `pack.yaml` naming a file outside its bundle is refused at the key that names it,
/// and the answer shows neither the file nor where the server keeps its packs.
#[tokio::test]
async fn an_upload_cannot_read_host_files() {
    let s = Service::new();
    for (from, to, key) in [
        ("files: [price.yaml]", "files: [/etc/hostname]", "params.files[0]"),
        ("files: [price.yaml]", "files: [../../../../../../etc/hostname]", "params.files[0]"),
        ("script: quote.rhai", "script: /etc/hostname.rhai", "entries.quote.script"),
    ] {
        let mut files = price_pack("1", "2026-01-01", "10.00");
        let manifest = files["pack.yaml"].replacen(from, to, 1);
        files.insert("pack.yaml".into(), manifest);
        let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&files)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{to}: {v:#}");
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], "pack.path-outside", "{v:#}");
        assert!(d["message"].as_str().unwrap().starts_with(&format!("`{key}` ")), "{v:#}");
        assert_eq!(d["location"]["file"], "pack.yaml", "{v:#}");
        let text = v.to_string();
        let store = s.dir.path().display().to_string();
        assert!(!text.contains(&store) && !text.contains("/tmp/"), "an absolute path leaks: {text}");
    }
}

/// One 100 KB anchor referenced by 8 000 actions: refused in the reader, not stored.
#[tokio::test]
async fn a_model_alias_bomb_is_refused_and_not_stored() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let mut model = format!(
        "id: sb\nlanguages: [en]\nlabel: {{en: &s \"{}\"}}\nroles:\n  - {{id: partner, label: {{en: Partner}}}}\nphases:\n  - id: p\n    label: {{en: P}}\n    actions:\n",
        "x".repeat(100_000)
    );
    for i in 0..8_000 {
        model.push_str(&format!("      - {{id: a{i}, role: partner, label: *s, due: 1 working days after start}}\n"));
    }
    let (status, v) = s.put("/v1/models/sb", &key, &model).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["diagnostics"][0]["code"], "yaml.aliases-too-large", "{v:#}");
    let (status, _) = s.get("/v1/models/sb", &key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// 100 000 levels of flow nesting: refused by the reader at the depth limit.
#[tokio::test]
async fn a_deeply_nested_model_is_refused_at_the_limit() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let depth = 100_000;
    let model = format!("id: deep\ndescription: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
    let (status, v) = s.put("/v1/models/deep", &key, &model).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["diagnostics"][0]["code"], "yaml.too-deep", "{v:#}");
}

/// A bad 1 MiB value came back about 10 times in the problem (10.5 MB) and 5 times in the audit
/// row. Each echo is now clipped to about 200 characters, with the value's length.
#[tokio::test]
async fn a_huge_bad_value_is_not_echoed_back_or_logged_whole() {
    let s = Service::new();
    // Just under the 1 MiB body limit.
    let huge = "9".repeat(1_000_000);
    let cases = [
        // A malformed decimal, a VAT number, an unknown key, a thousand bad items.
        serde_json::json!({"date": "2026-01-15", "year": 1, "users": 5, "data_gb": format!("x{huge}"),
            "client": {"country": "BE"}}),
        serde_json::json!({"date": "2026-01-15", "year": 1, "users": 5, "data_gb": "1",
            "client": {"country": "FR", "vat_number": format!("FR{huge}")}}),
        serde_json::json!({"date": "2026-01-15", "year": 1, "users": 5, "data_gb": "1",
            "client": {"country": "BE"}, huge.clone(): 1}),
    ];
    for input in cases {
        let body = input.to_string();
        let (status, v) = s.post("/v1/packs/esomus/quote", ADMIN, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &v.to_string()[..2000.min(v.to_string().len())]);
        let answer = v.to_string();
        assert!(answer.len() < 8_000, "the answer is {} bytes: {}", answer.len(), &answer[..2000]);
        assert!(answer.contains("… (100000"), "the clipped value says its length: {answer}");
    }
    s.state.audit().flush().await;
    let (status, v) = s.get("/v1/admin/audit?limit=10", ADMIN).await;
    assert_eq!(status, StatusCode::OK);
    let rows = v["entries"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{v:#}");
    for row in rows {
        assert!(row.to_string().len() < 8_000, "an audit row of {} bytes", row.to_string().len());
    }
}

/// Duplicate keys are refused (readers disagree on which wins), and a body that says it is not
/// JSON is 415; a model may also be sent as YAML.
#[tokio::test]
async fn bodies_are_strict_json_with_their_media_type() {
    let s = Service::new();
    let (status, v) =
        s.post("/v1/packs/norriq/indexation", ADMIN, r#"{"price":"100","price":"1","s_new":"1","s_old":"1"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("key `price` is written twice"), "{v:#}");
    let (status, v) =
        s.post("/v1/admin/tenants", ADMIN, r#"{"id":"a","id":"b","subscription_start":"2026-03-02"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    let (status, v) =
        s.post("/v1/packs/norriq/indexation", ADMIN, r#"{"price":"100","s_new":"1","s_old":"1"} x"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "trailing text: {v:#}");

    let send = |ctype: &'static str, uri: &'static str, body: &'static str| {
        let app = s.app.clone();
        async move {
            let req = axum::http::Request::builder()
                .method("POST")
                .uri(uri)
                .header("authorization", format!("Bearer {ADMIN}"))
                .header("content-type", ctype)
                .body(axum::body::Body::from(body))
                .unwrap();
            let resp = tower::ServiceExt::oneshot(app, req).await.unwrap();
            let status = resp.status();
            let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
            (status, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default())
        }
    };
    let body = r#"{"price":"100","s_new":"1","s_old":"1"}"#;
    let (status, v) = send("application/x-www-form-urlencoded", "/v1/packs/norriq/indexation", body).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v:#}");
    assert_eq!(v["type"], "https://missions.esomus.be/problems/unsupported-media-type");
    let (status, _) = send("application/json; charset=utf-8", "/v1/packs/norriq/indexation", body).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send("application/yaml", "/v1/packs/norriq/indexation", body).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "YAML is for models only");
}

/// Found by probing the host: these three inputs, each accepted by its schema, answered 500
/// `script-error` naming the server's files. An overflow or a date past the calendar's range is
/// the input's fault: 422, at the field, in every language.
#[tokio::test]
async fn overflows_and_dates_out_of_range_are_input_errors_at_their_field() {
    let s = Service::new();
    let quote = |users: &str, data_gb: &str| {
        format!(r#"{{"date":"2026-01-15","year":1,"users":{users},"data_gb":"{data_gb}","client":{{"country":"BE"}}}}"#)
    };
    for (uri, body, field) in [
        ("/v1/packs/esomus/quote", quote("9223372036854775807", "1"), "users"),
        ("/v1/packs/esomus/quote", quote("5", "12345678901234567890123456789"), "data_gb"),
        (
            "/v1/packs/norriq/sla",
            r#"{"contract":"nav","priority":"P1","opened":"2200-12-31T17:00:00+01:00"}"#.to_owned(),
            "opened",
        ),
    ] {
        let (status, v) = s.post(uri, ADMIN, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v:#}");
        assert_eq!(v["path"], field, "{v:#}");
        let e = &v["error"]["errors"][0];
        assert_eq!(e["problem"], "out_of_bounds", "{v:#}");
        for lang in ["fr", "nl", "en"] {
            assert!(e["messages"][lang].as_str().is_some_and(|m| !m.is_empty()), "{v:#}");
        }
        assert!(!v.to_string().contains(&s.rules.display().to_string()), "a server path leaks: {v:#}");
    }
}

/// A script that fails is the pack's bug (500), and says where in the pack, not where the server
/// keeps it.
#[tokio::test]
async fn a_script_error_names_the_script_not_the_server_folder() {
    let s = Service::new();
    let mut files = price_pack("1", "2026-01-01", "10.00");
    files.insert(
        "quote.rhai".into(),
        "fn quote(input, params) {\n    if input.qty == 7 { let x = (); x.nope() }\n    #{ unit: params.unit, total: params.unit * to_decimal(input.qty) }\n}\n".into(),
    );
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&files)).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (status, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":7}"#).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{v:#}");
    assert_eq!(v["error"]["location"]["file"], "quote.rhai", "{v:#}");
    let text = v.to_string();
    assert!(!text.contains(&s.dir.path().display().to_string()) && !text.contains("/tmp/"), "{text}");
}

/// Found by probing the host: once a month's included requests were used, tickets dated in
/// another month, even in 2200, were free. `at` must lie within 7 days of now, and never in a
/// month closed for billing (5 days after its end).
#[tokio::test]
async fn a_ticket_cannot_be_dated_away_from_its_quota() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let ticket = |at: &str| format!(r#"{{"type":1,"filed_by":"master","at":"{at}"}}"#);
    for at in ["2200-11-20T10:00:00+01:00", "2026-12-01T09:00:00+01:00", "2026-11-12T10:00:00+01:00"] {
        let (status, v) = s.post("/v1/tickets", &key, &ticket(at)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{at}: {v:#}");
        assert_eq!(v["path"], "at", "{v:#}");
        assert!(v["detail"].as_str().unwrap().contains("more than 7 days from now"), "{v:#}");
    }
    // Six days back, late in the window: accepted.
    let (status, v) = s.post("/v1/tickets", &key, &ticket("2026-11-14T10:00:00+01:00")).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    // On 3 December, a late ticket may still be dated in November; on 6 December November is closed.
    s.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 3, 9, 0, 0).unwrap());
    let (status, v) = s.post("/v1/tickets", &key, &ticket("2026-11-30T16:00:00+01:00")).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    s.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 6, 9, 0, 0).unwrap());
    let (status, v) = s.post("/v1/tickets", &key, &ticket("2026-11-30T16:00:00+01:00")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["path"], "at");
    assert!(v["detail"].as_str().unwrap().contains("2026-11, closed for billing since 2026-12-06"), "{v:#}");
}

/// Every answer carries `X-Request-Id` (the client's when usable), and the audit record of an
/// evaluation stores it.
#[tokio::test]
async fn request_ids_are_echoed_and_audited() {
    let s = Service::new();
    let send = |id: Option<&'static str>| {
        let app = s.app.clone();
        async move {
            let mut req = axum::http::Request::builder()
                .method("POST")
                .uri("/v1/packs/norriq/indexation")
                .header("authorization", format!("Bearer {ADMIN}"));
            if let Some(id) = id {
                req = req.header("x-request-id", id);
            }
            let req = req.body(axum::body::Body::from(r#"{"price":"100","s_new":"1","s_old":"1"}"#)).unwrap();
            let resp = tower::ServiceExt::oneshot(app, req).await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.headers()["x-request-id"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(send(Some("client-id-1")).await, "client-id-1");
    let fresh = send(Some("not a usable id <>")).await;
    assert_eq!(fresh.len(), 24, "{fresh}");
    s.state.audit().flush().await;
    let (_, v) = s.get("/v1/admin/audit", ADMIN).await;
    let ids: Vec<&str> = v["entries"].as_array().unwrap().iter().map(|e| e["request_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["client-id-1", fresh.as_str()]);
}

/// The OpenAPI document was invalid: query parameters declared in the path, duplicated
/// operationIds, no 401 or 403 anywhere. It now says what the routes do, and publishes the input
/// of every loaded entry.
#[tokio::test]
async fn the_openapi_document_is_true() {
    let s = Service::new();
    let (status, v) = s.get("/openapi.json", ADMIN).await;
    assert_eq!(status, StatusCode::OK);
    if let Ok(out) = std::env::var("MISSIONS_OPENAPI_OUT") {
        std::fs::write(out, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in v["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "operationId {id} twice");
            for p in op["parameters"].as_array().into_iter().flatten() {
                let placeholder = format!("{{{}}}", p["name"].as_str().unwrap());
                assert_eq!(p["in"] == "path", path.contains(&placeholder), "{method} {path}: {p}");
            }
            if op["security"].is_array() {
                assert!(op["responses"]["401"].is_object(), "{method} {path} has no 401");
            }
            if op["requestBody"].is_object() {
                for status in ["413", "415", "422"] {
                    assert!(op["responses"][status].is_object(), "{method} {path} has no {status}");
                }
            }
        }
    }
    assert!(v["paths"]["/v1/models"]["get"]["responses"]["403"].is_object());
    assert!(v["paths"]["/v1/packs"]["get"]["responses"]["403"].is_null(), "either key may list packs");
    let quote = &v["components"]["schemas"]["esomus.quote.input"];
    assert_eq!(quote["properties"]["users"]["type"], "integer", "{quote:#}");
    assert!(quote["required"].as_array().unwrap().contains(&serde_json::json!("client")));
    assert_eq!(
        v["paths"]["/v1/packs/esomus/quote"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/esomus.quote.input"
    );
    // Every shipped entry's answer is typed: its `returns:`, with `pack`; an invoice's own
    // members besides.
    let mut typed = 0;
    for (path, item) in v["paths"].as_object().unwrap() {
        let Some(entry) = path.strip_prefix("/v1/packs/").filter(|p| p.contains('/') && !p.contains('{')) else {
            continue;
        };
        let key = entry.replace('/', ".") + ".output";
        let answer = &item["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(*answer, format!("#/components/schemas/{key}"), "{path}");
        let schema = &v["components"]["schemas"][&key];
        assert_eq!(schema["properties"]["pack"]["$ref"], "#/components/schemas/PackRef", "{key}: {schema:#}");
        assert_eq!(schema["additionalProperties"], false, "{key}: every member is declared");
        typed += 1;
    }
    assert_eq!(typed, 11, "three esomus entries and eight norriq ones");
    assert!(v["components"]["schemas"]["PackRef"].is_object());
    let quote = &v["components"]["schemas"]["esomus.quote.output"];
    for member in ["lines", "vat", "net_total", "total", "notes", "users", "free_months"] {
        assert!(quote["required"].as_array().unwrap().contains(&serde_json::json!(member)), "{member}: {quote:#}");
    }
    assert_eq!(quote["properties"]["lines"]["items"]["properties"]["vat_category"]["type"], "string");
    let sla = &v["components"]["schemas"]["norriq.sla.output"];
    assert_eq!(sla["properties"]["deadline"]["anyOf"][0]["format"], "date-time", "{sla:#}");
    // The models' answers are their own types, as they are written.
    let schemas = &v["components"]["schemas"];
    let board =
        &v["paths"]["/v1/missions/{id}/dashboard"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(board["allOf"][0]["$ref"], "#/components/schemas/Dashboard", "{board:#}");
    assert_eq!(board["properties"]["plugin_figures"]["items"]["$ref"], "#/components/schemas/Figure");
    let dashboard = &schemas["Dashboard"];
    assert!(dashboard["required"].as_array().unwrap().contains(&serde_json::json!("progress")), "{dashboard:#}");
    assert!(!dashboard["required"].as_array().unwrap().contains(&serde_json::json!("warnings")), "skipped when empty");
    assert_eq!(schemas["MissionCreated"]["properties"]["plan"]["allOf"][0]["$ref"], "#/components/schemas/Plan");
    assert_eq!(schemas["Diagnostic"]["properties"]["severity"]["$ref"], "#/components/schemas/Severity");
    // Generated names never take a service type's place (nor the reverse): this one is the
    // diagnostics' severity.
    let severities: Vec<&serde_json::Value> =
        schemas["Severity"]["oneOf"].as_array().unwrap().iter().map(|s| &s["const"]).collect();
    assert_eq!(severities, [&serde_json::json!("error"), &serde_json::json!("warning")]);
    assert_eq!(
        schemas["TicketFiled"]["properties"]["sla"]["allOf"][0]["$ref"],
        "#/components/schemas/norriq.sla.output"
    );
    assert_eq!(
        schemas["MissionMigrated"]["properties"]["changes"]["allOf"][0]["$ref"],
        "#/components/schemas/MissionChanges"
    );
    let upload =
        &v["paths"]["/v1/admin/packs/{pack}"]["put"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(upload["anyOf"][0]["$ref"], "#/components/schemas/DryRun", "{upload:#}");
    assert!(schemas["DryRun"]["properties"]["impact"].is_object());
    let candidate =
        &v["paths"]["/v1/admin/packs/{pack}/candidate"]["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(candidate["schema"]["$ref"], "#/components/schemas/Candidate");
    assert_eq!(
        schemas["MissionView"]["properties"]["history"]["items"]["$ref"],
        "#/components/schemas/MigrationRecord"
    );
    // The models' routes publish the bodies they read, from the schema language.
    let new_mission = &v["paths"]["/v1/missions"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(new_mission["$ref"], "#/components/schemas/NewMission");
    assert_eq!(schemas["NewMission"]["properties"]["closing"]["format"], "date", "{:#}", schemas["NewMission"]);
    assert_eq!(schemas["RecordedState"]["additionalProperties"], false);
    assert_eq!(schemas["MigrationBody"]["properties"]["to"]["anyOf"][0]["minimum"], 1);
    let params = &v["paths"]["/v1/admin/packs/{pack}/params"]["post"]["responses"];
    for status in ["200", "201"] {
        assert_eq!(
            params[status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ParamsChanged"
        );
    }
    assert_eq!(schemas["ParamsChanged"]["properties"]["activated"]["$ref"], "#/components/schemas/PackActivated");
    // Every answer is typed, but two: the document itself, and the generic route of an entry the
    // document was written before (each loaded entry has its own typed path, checked above).
    let loose = serde_json::json!({"type": "object"});
    for (path, item) in v["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, answer) in op["responses"].as_object().unwrap() {
                for (kind, content) in answer["content"].as_object().into_iter().flatten() {
                    let allowed = path == "/openapi.json" || path == "/v1/packs/{pack}/{entry}";
                    assert!(allowed || content["schema"] != loose, "{method} {path} {status} {kind} is untyped");
                }
            }
        }
    }
}

/// Found by probing the host: a retried `POST /v1/tickets` filed a second ticket and charged
/// 45.00 again. With an `Idempotency-Key`, the retry gets the first answer.
#[tokio::test]
async fn a_retried_creation_with_its_idempotency_key_creates_nothing_more() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let send = |idem: &'static str, body: &'static str| {
        let (app, key) = (s.app.clone(), key.clone());
        async move {
            let req = axum::http::Request::builder()
                .method("POST")
                .uri("/v1/tickets")
                .header("authorization", format!("Bearer {key}"))
                .header("idempotency-key", idem)
                .body(axum::body::Body::from(body))
                .unwrap();
            let resp = tower::ServiceExt::oneshot(app, req).await.unwrap();
            let (status, replayed) = (resp.status(), resp.headers().contains_key("idempotent-replayed"));
            let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
            (status, replayed, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap())
        }
    };
    let help = r#"{"type":1,"filed_by":"master"}"#;
    // Two included requests, then one charged; its retry is not charged again.
    for k in ["k-1", "k-2"] {
        assert_eq!(send(k, help).await.0, StatusCode::CREATED);
    }
    let (status, replayed, first) = send("k-3", help).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false));
    assert_eq!(first["ticket"]["charge"], "45.00");
    let (status, replayed, again) = send("k-3", help).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, true));
    assert_eq!(again, first, "the same answer, the same ticket");
    let (_, usage) = s.get("/v1/usage", &key).await;
    assert_eq!((usage["requests"].as_u64(), usage["charges"].as_str()), (Some(3), Some("45.00")), "{usage:#}");
    // The same key with another body is a client bug.
    let (status, _, v) = send("k-3", r#"{"type":2,"filed_by":"master"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("used for another request"), "{v:#}");
    // A refused request is answered the same way on retry, and keys are per tenant.
    let (status, _, refused) = send("k-4", r#"{"type":9,"filed_by":"master"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(send("k-4", r#"{"type":9,"filed_by":"master"}"#).await.2, refused);
    let other = s.tenant("peeters", "2026-03-02").await;
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/v1/tickets")
        .header("authorization", format!("Bearer {other}"))
        .header("idempotency-key", "k-3")
        .body(axum::body::Body::from(help))
        .unwrap();
    let resp = tower::ServiceExt::oneshot(s.app.clone(), req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert!(!resp.headers().contains_key("idempotent-replayed"), "another tenant's key is its own");
}

/// Two people editing the same record: the second `PUT`, made from the version both read, gets
/// 412 instead of silently undoing the first. Models, mission state and packs alike.
#[tokio::test]
async fn a_put_from_a_stale_version_is_refused_with_412() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let send = |method: &'static str, uri: String, key: String, if_match: Option<String>, body: String| {
        let app = s.app.clone();
        async move {
            let mut req =
                axum::http::Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {key}"));
            if let Some(m) = if_match {
                req = req.header("if-match", m);
            }
            let resp = tower::ServiceExt::oneshot(app, req.body(axum::body::Body::from(body)).unwrap()).await.unwrap();
            let status = resp.status();
            let tag = resp.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
            let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24).await.unwrap();
            (status, tag, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default())
        }
    };
    let model = std::fs::read_to_string(missions_tests::repo().join("rules/models/example-firm.yaml")).unwrap();
    let edited = model.replacen("version: \"2026.1-dp3\"", "version: \"2026.1-dp4\"", 1);
    let uri = "/v1/models/example-firm".to_owned();

    // Models.
    let (status, created, _) = send("PUT", uri.clone(), key.clone(), None, model.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, read, _) = send("GET", uri.clone(), key.clone(), None, String::new()).await;
    assert_eq!(read, created, "GET answers the version PUT made");
    let (status, _, v) = send("PUT", uri.clone(), key.clone(), read.clone(), edited.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let (status, _, v) = send("PUT", uri.clone(), key.clone(), read.clone(), model.clone()).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    assert_eq!(v["type"], "https://missions.esomus.be/problems/precondition-failed");
    let (_, now, v) = send("GET", uri.clone(), key.clone(), None, String::new()).await;
    assert!(v["text"].as_str().unwrap().contains("2026.1-dp4"), "the first change stays");
    let (status, _, _) = send(
        "PUT",
        "/v1/models/other".into(),
        key.clone(),
        Some("*".into()),
        model.replace("id: example-firm", "id: other"),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "`*` needs the model to exist");
    let (status, _, _) = send("PUT", uri.clone(), key.clone(), Some("W/\"x\"".into()), model.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a weak tag is refused");
    assert_ne!(now, read);

    // Mission state.
    let input = r#"{"id":"m1","model":"example-firm","client":"Brasserie SA","start":"2026-11-02","closing":"2027-03-31","people":{"partner":["An Peeters"],"manager":["Bo Maes"],"staff":["Cy"],"supervisor":["Di"],"eqr":["Ed"],"quality":["Fa"],"it-auditor":["Gu"]}}"#;
    let (status, _, v) = send("POST", "/v1/missions".into(), key.clone(), None, input.into()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let state_uri = "/v1/missions/m1/state".to_owned();
    let (_, read, _) = send("GET", "/v1/missions/m1".into(), key.clone(), None, String::new()).await;
    let (status, after, v) =
        send("PUT", state_uri.clone(), key.clone(), read.clone(), r#"{"actions":[]}"#.into()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_ne!(after, read);
    let (status, _, _) = send("PUT", state_uri.clone(), key.clone(), read, r#"{"key_points":[]}"#.into()).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _, _) = send("PUT", state_uri, key.clone(), after, r#"{"key_points":[]}"#.into()).await;
    assert_eq!(status, StatusCode::OK);

    // Packs (admin).
    let pack = |unit: &str| upload(&price_pack("1", "2026-01-01", unit));
    let puri = "/v1/admin/packs/price".to_owned();
    let (status, first, v) = send("PUT", puri.clone(), ADMIN.into(), None, pack("10.00")).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (_, read, _) = send("GET", puri.clone(), ADMIN.into(), None, String::new()).await;
    assert_eq!(read, first);
    let (status, _, v) = send("PUT", puri.clone(), ADMIN.into(), read.clone(), pack("11.00")).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (status, _, v) = send("PUT", puri.clone(), ADMIN.into(), read, pack("12.00")).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(v["unit"], "11.00", "the stale upload changed nothing");
}

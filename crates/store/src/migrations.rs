//! The SQLite schema, as numbered migrations kept in code. `PRAGMA user_version` records the last
//! one applied; each runs in its own transaction, so a crash mid-migration leaves the previous
//! version intact. Never edit a released migration: add the next one.

/// Migrations in order; the number of a migration is its position from 1.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: tenants, keys, pack versions, models, missions, ticket ledger, audit log.
    r"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    subscription_start TEXT NOT NULL,
    sla_contract       TEXT NOT NULL,
    prepaid_hours      TEXT NOT NULL,
    created_at         TEXT NOT NULL
);

CREATE TABLE api_keys (
    key_id     TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    hash       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE pack_versions (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    digest         TEXT NOT NULL,
    bundle_digest  TEXT NOT NULL,
    files          TEXT NOT NULL,
    source         TEXT NOT NULL,
    activated_at   TEXT NOT NULL,
    rolled_back_at TEXT
);
CREATE INDEX pack_versions_by_name ON pack_versions(name, seq);

CREATE TABLE models (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    id         TEXT NOT NULL,
    text       TEXT NOT NULL,
    digest     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE missions (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    id           TEXT NOT NULL,
    model_id     TEXT NOT NULL,
    model_digest TEXT NOT NULL,
    input        TEXT NOT NULL,
    plan         TEXT NOT NULL,
    state        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    month          TEXT NOT NULL,
    at             TEXT NOT NULL,
    type           INTEGER NOT NULL,
    filed_by       TEXT NOT NULL,
    subject        TEXT,
    allowed        INTEGER NOT NULL,
    counted        INTEGER NOT NULL,
    over_quota     INTEGER NOT NULL,
    charge         TEXT NOT NULL,
    deducted_hours TEXT NOT NULL,
    decision       TEXT NOT NULL,
    sla            TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX tickets_by_month ON tickets(tenant_id, month, counted);

CREATE TABLE audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    tenant       TEXT NOT NULL,
    pack         TEXT NOT NULL,
    entry        TEXT NOT NULL,
    version      TEXT NOT NULL,
    digest       TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    ok           INTEGER NOT NULL,
    result       TEXT NOT NULL
);
CREATE INDEX audit_by_tenant ON audit(tenant, id);
",
    // 2: partners' plugins: each component's bytes once by sha256, and what each tenant enabled.
    r"
CREATE TABLE plugin_code (
    digest     TEXT PRIMARY KEY,
    wasm       BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tenant_plugins (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    digest     TEXT NOT NULL REFERENCES plugin_code(digest),
    config     TEXT NOT NULL,
    limits     TEXT NOT NULL,
    enabled_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
",
    // 3: the id of the HTTP request each audit record came from (`X-Request-Id`).
    r"
ALTER TABLE audit ADD COLUMN request_id TEXT;
",
    // 4: `Idempotency-Key`s: the first answer to each, replayed to retries for a day.
    r"
CREATE TABLE idempotency (
    principal   TEXT NOT NULL,
    key         TEXT NOT NULL,
    route       TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    status      INTEGER,
    response    TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_by_age ON idempotency(created_at);
",
    // 5: each evaluation's input (personal fields masked), to replay recorded requests against
    // a candidate version of a pack; read by pack in log order, and purged by age.
    r"
ALTER TABLE audit ADD COLUMN input TEXT;
CREATE INDEX audit_by_pack ON audit(pack, id);
CREATE INDEX audit_by_age ON audit(at);
",
    // 6: every saved version of a model, immutable (the texts of the models it extends with it);
    // the version each mission follows, the closure days it is dated with and its migrations;
    // each tenant's closure days. Existing models become their version 1.
    r"
CREATE TABLE model_versions (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    model_id  TEXT NOT NULL,
    version   INTEGER NOT NULL,
    text      TEXT NOT NULL,
    digest    TEXT NOT NULL,
    parents   TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT,
    PRIMARY KEY (tenant_id, model_id, version)
);
INSERT INTO model_versions (tenant_id, model_id, version, text, digest, parents, saved_at)
    SELECT tenant_id, id, 1, text, digest, '{}', updated_at FROM models;
ALTER TABLE models ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE models ADD COLUMN parents TEXT NOT NULL DEFAULT '{}';
ALTER TABLE models ADD COLUMN saved_by TEXT;
ALTER TABLE missions ADD COLUMN model_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE missions ADD COLUMN closures TEXT NOT NULL DEFAULT '[]';
ALTER TABLE missions ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
CREATE INDEX missions_by_model ON missions(tenant_id, model_id, id);
CREATE TABLE tenant_calendars (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    closures   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
",
    // 7: every change to a tenant's plugins, kept for its history and its rollbacks (the code of
    // every version stays while its history does). Plugins enabled before are their entry 1.
    r"
CREATE TABLE plugin_history (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    event     TEXT NOT NULL,
    version   TEXT NOT NULL,
    digest    TEXT NOT NULL REFERENCES plugin_code(digest),
    config    TEXT NOT NULL,
    limits    TEXT NOT NULL,
    at        TEXT NOT NULL,
    restored  INTEGER,
    PRIMARY KEY (tenant_id, name, seq)
);
INSERT INTO plugin_history (tenant_id, name, seq, event, version, digest, config, limits, at)
    SELECT tenant_id, name, 1, 'enabled', version, digest, config, limits, enabled_at FROM tenant_plugins;
",
    // 8: the status changes of tickets (their SLA clocks), and the SLA input each ticket was filed
    // with, so its clock can be recomputed; tickets filed before take it from their SLA answer.
    r"
ALTER TABLE tickets ADD COLUMN sla_input TEXT;
UPDATE tickets SET sla_input = json_object(
        'contract', json_extract(sla, '$.contract'),
        'category', json_extract(sla, '$.category'),
        'priority', json_extract(sla, '$.priority'),
        'opened', json_extract(sla, '$.opened'))
    WHERE sla IS NOT NULL AND json_valid(sla) AND json_extract(sla, '$.opened') IS NOT NULL;
CREATE INDEX tickets_by_tenant ON tickets(tenant_id, id);
CREATE TABLE ticket_events (
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    at_us       INTEGER NOT NULL,
    status      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);
CREATE INDEX ticket_events_in_time ON ticket_events(ticket_id, at_us, seq);
",
];

-- The PostgreSQL store's schema: the same records as SQLite's migrations 1 to 8, with native
-- types (amounts NUMERIC, instants timestamptz, days date, bytes bytea). JSON documents stay
-- text, so that what was written is read back byte for byte.
-- Never edit a released migration: add the next file.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    subscription_start DATE NOT NULL,
    sla_contract       TEXT NOT NULL,
    prepaid_hours      NUMERIC NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    key_id     TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    hash       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    added      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id, created_at, added);

CREATE TABLE pack_versions (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    effective_from DATE NOT NULL,
    digest         TEXT NOT NULL,
    bundle_digest  TEXT NOT NULL,
    files          TEXT NOT NULL,
    source         TEXT NOT NULL,
    activated_at   TIMESTAMPTZ NOT NULL,
    rolled_back_at TIMESTAMPTZ
);
CREATE INDEX pack_versions_by_name ON pack_versions(name, seq);

CREATE TABLE models (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    id         TEXT NOT NULL,
    version    BIGINT NOT NULL,
    text       TEXT NOT NULL,
    digest     TEXT NOT NULL,
    parents    TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    saved_by   TEXT,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE model_versions (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    model_id  TEXT NOT NULL,
    version   BIGINT NOT NULL,
    text      TEXT NOT NULL,
    digest    TEXT NOT NULL,
    parents   TEXT NOT NULL,
    saved_at  TIMESTAMPTZ NOT NULL,
    saved_by  TEXT,
    PRIMARY KEY (tenant_id, model_id, version)
);

CREATE TABLE missions (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    id            TEXT NOT NULL,
    model_id      TEXT NOT NULL,
    model_version BIGINT NOT NULL,
    model_digest  TEXT NOT NULL,
    input         TEXT NOT NULL,
    plan          TEXT NOT NULL,
    state         TEXT,
    closures      TEXT NOT NULL,
    history       TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX missions_by_model ON missions(tenant_id, model_id, id);

CREATE TABLE tenant_calendars (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    closures   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tickets (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    month          TEXT NOT NULL,
    at             TEXT NOT NULL,
    type           SMALLINT NOT NULL,
    filed_by       TEXT NOT NULL,
    subject        TEXT,
    allowed        BOOLEAN NOT NULL,
    counted        BOOLEAN NOT NULL,
    over_quota     BOOLEAN NOT NULL,
    charge         NUMERIC NOT NULL,
    deducted_hours NUMERIC NOT NULL,
    decision       TEXT NOT NULL,
    sla            TEXT,
    sla_input      TEXT,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX tickets_by_month ON tickets(tenant_id, month, counted);
CREATE INDEX tickets_by_tenant ON tickets(tenant_id, id);

CREATE TABLE ticket_events (
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    at_us       BIGINT NOT NULL,
    status      TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);
CREATE INDEX ticket_events_in_time ON ticket_events(ticket_id, at_us, seq);

-- The audit log. Ids come from a sequence, and writers take the `audit` advisory lock before
-- drawing them (see postgres/audit.rs), so ids commit in order and paging by id skips nothing.
CREATE TABLE audit (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    tenant       TEXT NOT NULL,
    pack         TEXT NOT NULL,
    entry        TEXT NOT NULL,
    version      TEXT NOT NULL,
    digest       TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    ok           BOOLEAN NOT NULL,
    result       TEXT NOT NULL,
    request_id   TEXT,
    input        TEXT
);
CREATE INDEX audit_by_tenant ON audit(tenant, id);
CREATE INDEX audit_by_pack ON audit(pack, id);
CREATE INDEX audit_by_age ON audit(at);

CREATE TABLE idempotency (
    principal   TEXT NOT NULL,
    key         TEXT NOT NULL,
    route       TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    status      INTEGER,
    response    TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_by_age ON idempotency(created_at);

CREATE TABLE plugin_code (
    digest     TEXT PRIMARY KEY,
    wasm       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenant_plugins (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    digest     TEXT NOT NULL REFERENCES plugin_code(digest),
    config     TEXT NOT NULL,
    limits     TEXT NOT NULL,
    enabled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE plugin_history (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name      TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    event     TEXT NOT NULL,
    version   TEXT NOT NULL,
    digest    TEXT NOT NULL REFERENCES plugin_code(digest),
    config    TEXT NOT NULL,
    limits    TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    restored  BIGINT,
    PRIMARY KEY (tenant_id, name, seq)
);

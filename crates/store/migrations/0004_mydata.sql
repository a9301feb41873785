-- Product terms and transmission requests (전송요구). Portable DDL.
-- Terms are the JSON of finhub_core::product::ProductTerms; lists are JSON
-- text; dates TEXT YYYY-MM-DD; flags BIGINT 0/1; times BIGINT microseconds UTC.

CREATE TABLE product_terms (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
    terms      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE consents (
    consent_id   TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES oauth_clients (client_id),
    receiver_org TEXT NOT NULL,
    person_id    TEXT NOT NULL REFERENCES people (person_id),
    sender_org   TEXT NOT NULL REFERENCES institutions (org_code),
    scopes       TEXT NOT NULL,
    account_ids  TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    hold_until   TEXT NOT NULL,
    is_scheduled BIGINT NOT NULL,
    fnd_cycle    TEXT,
    add_cycle    TEXT,
    memo         BIGINT NOT NULL,
    merchant     BIGINT NOT NULL,
    tx_id        TEXT,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    -- An integrated-auth consent form is accepted once.
    CONSTRAINT consents_tx_key UNIQUE (tx_id)
);
CREATE INDEX consents_person_idx ON consents (person_id, created_at);

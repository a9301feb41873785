-- ORIS remitters (finhub_core::oris::remit): the remitters agencies
-- register, their consents, the reports of their remittances with every
-- history entry. Times BIGINT microseconds UTC; flags BIGINT 0/1; USD in
-- cents. Portable DDL.

-- identity_hash: HMAC-SHA256 of (identityType, identityNumber) under the
-- registry's key; the number itself is never stored. person_id: the world
-- person whose CI the remitter was registered with (finhub's ledger tie).
CREATE TABLE oris_remitters (
    user_id       TEXT PRIMARY KEY,
    user_name     TEXT NOT NULL,
    user_type     TEXT NOT NULL,
    user_country  TEXT NOT NULL,
    identity_type TEXT NOT NULL,
    identity_hash TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    person_id     TEXT,
    active        BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    CONSTRAINT oris_remitters_identity_key UNIQUE (identity_hash)
);

-- A report's latest state; counted_cents is what the yearly limit counts
-- of it (0 once returned or when documented), entries its history length.
CREATE TABLE oris_remittances (
    bmi                TEXT PRIMARY KEY,
    agency_id          TEXT NOT NULL REFERENCES oris_agencies (agency_id),
    user_id            TEXT NOT NULL REFERENCES oris_remitters (user_id),
    account_year       BIGINT NOT NULL,
    status             TEXT NOT NULL,
    request_date       BIGINT NOT NULL,
    usd_cents          BIGINT NOT NULL CHECK (usd_cents > 0),
    evidence_submitted BIGINT NOT NULL,
    currency           TEXT,
    amount             TEXT,
    receiver_country   TEXT,
    counted_cents      BIGINT NOT NULL CHECK (counted_cents >= 0 AND counted_cents <= usd_cents),
    entries            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX oris_remittances_user_year ON oris_remittances (user_id, account_year);
CREATE INDEX oris_remittances_user_date ON oris_remittances (user_id, request_date);
CREATE INDEX oris_remittances_agency_date ON oris_remittances (agency_id, request_date);

-- Every event of a report, oldest first by seq (0 is the 신규).
CREATE TABLE oris_remittance_histories (
    bmi          TEXT NOT NULL REFERENCES oris_remittances (bmi),
    seq          BIGINT NOT NULL,
    status       TEXT NOT NULL,
    request_date BIGINT NOT NULL,
    usd_cents    BIGINT NOT NULL,
    reason       TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (bmi, seq)
);

-- A remitter's consent as one agency recorded it; one live consent per
-- (user, term, agency).
CREATE TABLE oris_remitter_consents (
    consent_id                   TEXT PRIMARY KEY,
    user_id                      TEXT NOT NULL REFERENCES oris_remitters (user_id),
    term_id                      TEXT NOT NULL REFERENCES oris_terms (term_id),
    agency_id                    TEXT NOT NULL REFERENCES oris_agencies (agency_id),
    identity_verification_method TEXT NOT NULL,
    consenter_name               TEXT,
    additional_info              TEXT,
    is_under_fourteen            BIGINT,
    consent_at                   BIGINT NOT NULL,
    withdrawn_at                 BIGINT
);
CREATE UNIQUE INDEX oris_remitter_consents_live
    ON oris_remitter_consents (user_id, term_id, agency_id) WHERE withdrawn_at IS NULL;
CREATE INDEX oris_remitter_consents_user ON oris_remitter_consents (user_id, agency_id);

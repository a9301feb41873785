-- Portable DDL: runs unchanged on SQLite and PostgreSQL.
-- Times are BIGINT microseconds since the Unix epoch (UTC); money is BIGINT minor units.

CREATE TABLE institutions (
    org_code   TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    bank_code  TEXT UNIQUE,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL
);

CREATE TABLE people (
    person_id     TEXT PRIMARY KEY,
    ci            TEXT NOT NULL,
    name          TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    gender        TEXT,
    phone         TEXT,
    email         TEXT,
    password_hash TEXT,
    CONSTRAINT people_ci_key UNIQUE (ci),
    CONSTRAINT people_phone_key UNIQUE (phone)
);

CREATE TABLE accounts (
    account_id    TEXT PRIMARY KEY,
    org_code      TEXT NOT NULL REFERENCES institutions (org_code),
    account_num   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    product_name  TEXT NOT NULL,
    currency      TEXT NOT NULL,
    person_id     TEXT REFERENCES people (person_id),
    holder_name   TEXT NOT NULL,
    opened_at     BIGINT NOT NULL,
    closed_at     BIGINT,
    maturity_date TEXT,
    status        TEXT NOT NULL,
    floor_minor   BIGINT NOT NULL,
    balance_minor BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    last_tran_at  BIGINT,
    -- The ledger writer checks floors in code; the database checks them again.
    CONSTRAINT accounts_floor CHECK (balance_minor >= floor_minor),
    CONSTRAINT accounts_number_key UNIQUE (org_code, account_num)
);
CREATE INDEX accounts_person_idx ON accounts (person_id);

CREATE TABLE journal_entries (
    entry_id  BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    scope     TEXT NOT NULL,
    idem_key  TEXT NOT NULL
);

CREATE TABLE postings (
    account_id          TEXT NOT NULL,
    seq                 BIGINT NOT NULL,
    entry_id            BIGINT NOT NULL,
    at                  BIGINT NOT NULL,
    kind                TEXT NOT NULL,
    currency            TEXT NOT NULL,
    amount_minor        BIGINT NOT NULL,
    balance_after_minor BIGINT NOT NULL,
    memo                TEXT NOT NULL,
    counterparty        TEXT NOT NULL,
    PRIMARY KEY (account_id, seq)
);
-- Statement pages are keyset scans over this index: cost does not grow with history.
CREATE INDEX postings_account_at_idx ON postings (account_id, at, seq);
CREATE INDEX postings_entry_idx ON postings (entry_id);

-- One row per (scope, key): the arbiter of exactly-once.
CREATE TABLE idempotency (
    scope       TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    at          BIGINT NOT NULL,
    entry_id    BIGINT,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE limit_counters (
    counter     TEXT NOT NULL,
    period      TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    PRIMARY KEY (counter, period)
);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

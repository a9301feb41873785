-- Konaplate bank accounts (B1–B10): real-name passes, ARS codes, the
-- member's one running ARS call, registrations and the registered account.
-- Times BIGINT microseconds UTC (started_real/until_real: real time, the
-- rest the world clock); flags 0/1.

CREATE TABLE kona_name_checks (
    project_id   TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    bank_code    TEXT NOT NULL,
    bank_account TEXT NOT NULL,
    account_id   TEXT NOT NULL REFERENCES accounts (account_id),
    checked_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id, bank_code, bank_account)
);

-- A new B3 replaces the member's code.
CREATE TABLE kona_ars_codes (
    project_id  TEXT NOT NULL,
    user_id     BIGINT NOT NULL,
    auth_number TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

-- The member's ARS call: the row is the arbiter of "one at a time".
CREATE TABLE kona_ars_slots (
    project_id TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    until_real BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE kona_registrations (
    reg_no       TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    account_id   TEXT NOT NULL REFERENCES accounts (account_id),
    bank_code    TEXT NOT NULL,
    bank_account TEXT NOT NULL,
    code_live    BIGINT NOT NULL,
    started_real BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    status       TEXT
);
CREATE INDEX kona_registrations_member ON kona_registrations (project_id, user_id);

CREATE TABLE kona_bank_accounts (
    project_id    TEXT NOT NULL,
    user_id       BIGINT NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts (account_id),
    bank_code     TEXT NOT NULL,
    bank_account  TEXT NOT NULL,
    account_id5   TEXT NOT NULL,
    auto_recharge BIGINT NOT NULL,
    reg_no        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

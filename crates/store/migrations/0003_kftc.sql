-- Registrations of people's accounts by client organisations, user numbers,
-- client contract accounts, the API call log and the transfer log (KFTC face).

CREATE TABLE user_numbers (
    person_id   TEXT PRIMARY KEY REFERENCES people (person_id),
    user_no     BIGINT NOT NULL,
    CONSTRAINT user_numbers_no_key UNIQUE (user_no)
);

CREATE TABLE registrations (
    org_code           TEXT NOT NULL,
    handle             TEXT NOT NULL,
    person_id          TEXT NOT NULL REFERENCES people (person_id),
    account_id         TEXT NOT NULL REFERENCES accounts (account_id),
    alias              TEXT NOT NULL,
    email              TEXT,
    inquiry_agreed_at  BIGINT,
    transfer_agreed_at BIGINT,
    status             TEXT NOT NULL,
    registered_at      BIGINT NOT NULL,
    cancelled_at       BIGINT,
    PRIMARY KEY (org_code, handle),
    CONSTRAINT registrations_account_key UNIQUE (org_code, account_id)
);
CREATE INDEX registrations_person_idx ON registrations (org_code, person_id);

CREATE TABLE client_contracts (
    org_code        TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    account_id      TEXT NOT NULL REFERENCES accounts (account_id),
    pass_phrase     TEXT NOT NULL,
    limits          TEXT NOT NULL
);

CREATE TABLE api_usage (
    org_code  TEXT NOT NULL,
    api_code  TEXT NOT NULL,
    day       TEXT NOT NULL,
    calls     BIGINT NOT NULL,
    PRIMARY KEY (org_code, day, api_code)
);

CREATE TABLE transfer_log (
    org_code     TEXT NOT NULL,
    scope        TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    direction    TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX transfer_log_org_at_idx ON transfer_log (org_code, at);
CREATE INDEX transfer_log_account_idx ON transfer_log (org_code, account_id, at);

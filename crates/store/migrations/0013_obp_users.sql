-- OBP users, DirectLogin tokens, entitlements and customers
-- (finhub_core::obp). Ids are UUIDs; times BIGINT microseconds UTC.

-- provider: finhub (Create User) or finhub-oauth (a bearer token's subject).
-- person_id: the person made once for the user's accounts, when it has no
-- customer link at the bank.
CREATE TABLE obp_users (
    user_id       TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    provider      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    person_id     TEXT REFERENCES people (person_id),
    created_at    BIGINT NOT NULL
);

-- Only the token's SHA-256 is kept.
CREATE TABLE obp_tokens (
    token_sha256 TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES obp_users (user_id),
    consumer_key TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);

-- bank_id '' for a system-level role.
CREATE TABLE obp_entitlements (
    entitlement_id TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES obp_users (user_id),
    role_name      TEXT NOT NULL,
    bank_id        TEXT NOT NULL,
    UNIQUE (user_id, role_name, bank_id)
);

-- A person at a bank (bank_id: the 3-digit code). dob_of_dependants is a
-- JSON array of microsecond times.
CREATE TABLE obp_customers (
    customer_id                TEXT PRIMARY KEY,
    bank_id                    TEXT NOT NULL,
    customer_number            TEXT NOT NULL,
    person_id                  TEXT NOT NULL REFERENCES people (person_id),
    legal_name                 TEXT NOT NULL,
    mobile_phone_number        TEXT NOT NULL,
    email                      TEXT NOT NULL,
    face_image_url             TEXT NOT NULL,
    face_image_date            BIGINT,
    date_of_birth              BIGINT,
    relationship_status        TEXT NOT NULL,
    dependants                 BIGINT NOT NULL,
    dob_of_dependants          TEXT NOT NULL,
    credit_rating              TEXT NOT NULL,
    credit_source              TEXT NOT NULL,
    credit_limit_currency      TEXT NOT NULL,
    credit_limit_amount        TEXT NOT NULL,
    highest_education_attained TEXT NOT NULL,
    employment_status          TEXT NOT NULL,
    kyc_status                 BIGINT NOT NULL,
    last_ok_date               BIGINT,
    title                      TEXT NOT NULL,
    branch_id                  TEXT NOT NULL,
    name_suffix                TEXT NOT NULL,
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL,
    UNIQUE (bank_id, customer_number)
);
CREATE INDEX obp_customers_person ON obp_customers (person_id);

-- The Konaplate platform (finhub_core::konaplate): projects and their keys,
-- correlation ids, members, their terms, and cards. Times BIGINT
-- microseconds UTC; flags 0/1.

CREATE TABLE kona_projects (
    project_id TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    asp_id     TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- secret: the HMAC key of X-KM-Tran-Token (it must be readable to verify).
CREATE TABLE kona_access_keys (
    access_key TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES kona_projects (project_id),
    secret     TEXT NOT NULL,
    key_type   TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX kona_access_keys_project ON kona_access_keys (project_id);

CREATE TABLE kona_crypto_keys (
    crypto_key_id      TEXT PRIMARY KEY,
    project_id         TEXT NOT NULL REFERENCES kona_projects (project_id),
    status             TEXT NOT NULL,
    server_public_pem  TEXT NOT NULL,
    server_private_pem TEXT NOT NULL,
    client_public_pem  TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX kona_crypto_keys_project ON kona_crypto_keys (project_id);

CREATE TABLE kona_merchants (
    project_id    TEXT NOT NULL REFERENCES kona_projects (project_id),
    merchant_id   TEXT NOT NULL,
    merchant_name TEXT NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts (account_id),
    PRIMARY KEY (project_id, merchant_id)
);

-- One row per X-KM-Correlation-Id of a project; answer NULL while running.
CREATE TABLE kona_exchanges (
    project_id     TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    path           TEXT NOT NULL,
    started_at     BIGINT NOT NULL,
    status         BIGINT,
    answer         TEXT,
    PRIMARY KEY (project_id, correlation_id)
);

CREATE TABLE kona_members (
    project_id        TEXT NOT NULL REFERENCES kona_projects (project_id),
    user_id           BIGINT NOT NULL,
    person_id         TEXT NOT NULL REFERENCES people (person_id),
    login_id          TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    ci                TEXT NOT NULL,
    birth_date        TEXT NOT NULL,
    nationality       TEXT NOT NULL,
    gender            TEXT NOT NULL,
    user_name         TEXT NOT NULL,
    mobile_number     TEXT NOT NULL,
    email             TEXT NOT NULL,
    join_channel      TEXT,
    address           TEXT,
    address_detail    TEXT,
    zip_code          TEXT,
    status            TEXT NOT NULL,
    password_failures BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
-- A cancelled member frees neither its login id nor its CI.
CREATE UNIQUE INDEX kona_members_login ON kona_members (project_id, login_id);
CREATE UNIQUE INDEX kona_members_ci ON kona_members (project_id, ci);

CREATE TABLE kona_agreements (
    project_id TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    tc_id      BIGINT NOT NULL,
    agreed_at  BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id, tc_id)
);

CREATE TABLE kona_cards (
    par              TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES kona_projects (project_id),
    user_id          BIGINT NOT NULL,
    account_id       TEXT NOT NULL REFERENCES accounts (account_id),
    service_id       TEXT NOT NULL,
    mobile_card_no   TEXT UNIQUE,
    mobile_cvc       TEXT,
    physical_card_no TEXT UNIQUE,
    physical_cvc     TEXT,
    expiry           TEXT NOT NULL,
    status           TEXT NOT NULL,
    is_basic         BIGINT NOT NULL,
    is_main          BIGINT NOT NULL,
    is_named         BIGINT NOT NULL,
    limit_once       BIGINT NOT NULL,
    limit_day        BIGINT NOT NULL,
    limit_month      BIGINT NOT NULL,
    card_apply_no    TEXT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX kona_cards_member ON kona_cards (project_id, user_id);

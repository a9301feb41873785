-- OAuth clients, pending authorizations, codes and tokens. Portable DDL.
-- Lists (scopes, redirect URIs, account ids) are JSON text; flags are BIGINT 0/1;
-- times BIGINT microseconds UTC. Codes and refresh tokens are stored by hash only.

CREATE TABLE oauth_clients (
    client_id     TEXT PRIMARY KEY,
    secret_hash   TEXT NOT NULL,
    name          TEXT NOT NULL,
    profile       TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE oauth_auth_requests (
    request_id     TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (client_id),
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    state          TEXT,
    code_challenge TEXT,
    extra          TEXT NOT NULL,
    person_id      TEXT,
    expires_at     BIGINT NOT NULL
);

CREATE TABLE oauth_auth_codes (
    code_hash      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (client_id),
    person_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    account_ids    TEXT NOT NULL,
    code_challenge TEXT,
    expires_at     BIGINT NOT NULL
);

CREATE TABLE oauth_refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL REFERENCES oauth_clients (client_id),
    person_id   TEXT,
    scopes      TEXT NOT NULL,
    account_ids TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used        BIGINT NOT NULL DEFAULT 0,
    revoked     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX oauth_refresh_family_idx ON oauth_refresh_tokens (family_id);

CREATE TABLE oauth_access_tokens (
    jti        TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (client_id),
    person_id  TEXT,
    family_id  TEXT,
    expires_at BIGINT NOT NULL,
    revoked    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX oauth_access_family_idx ON oauth_access_tokens (family_id);
CREATE INDEX oauth_access_revoked_idx ON oauth_access_tokens (revoked, expires_at);

-- ORIS (finhub_core::oris): agencies, their staff, permission groups, API
-- keys, sessions, terms and the staff's signatures under them. Ids are
-- ULIDs; times BIGINT microseconds UTC; flags BIGINT 0/1. Portable DDL.

CREATE TABLE oris_agencies (
    agency_id       TEXT PRIMARY KEY,
    agency_code     TEXT NOT NULL,
    agency_name     TEXT NOT NULL,
    agency_type     TEXT NOT NULL,
    org_code        TEXT,
    approval_status TEXT NOT NULL,
    active          BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    CONSTRAINT oris_agencies_code_key UNIQUE (agency_code)
);

-- Built-in groups have no agency_id. permissions: space-separated words.
CREATE TABLE oris_groups (
    group_id    TEXT PRIMARY KEY,
    agency_id   TEXT,
    name        TEXT NOT NULL,
    description TEXT,
    permissions TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

INSERT INTO oris_groups (group_id, agency_id, name, description, permissions, created_at) VALUES
  ('01JA0000000000000000000AD1', NULL, 'ADMIN', '전체 권한',
   'REMITTANCE_REPORT REMITTANCE_READ USER_READ BATCH_WRITE MEMBER_ADMIN BOARD_WRITE', 1735657200000000),
  ('01JA0000000000000000000MG1', NULL, 'MANAGER', '담당자 관리 외 전체 권한',
   'REMITTANCE_REPORT REMITTANCE_READ USER_READ BATCH_WRITE BOARD_WRITE', 1735657200000000),
  ('01JA0000000000000000000VW1', NULL, 'VIEWER', '조회 권한',
   'REMITTANCE_READ USER_READ', 1735657200000000);

CREATE TABLE oris_members (
    member_id           TEXT PRIMARY KEY,
    agency_id           TEXT NOT NULL REFERENCES oris_agencies (agency_id),
    email               TEXT NOT NULL,
    name                TEXT NOT NULL,
    phone               TEXT NOT NULL,
    department          TEXT NOT NULL,
    description         TEXT,
    group_id            TEXT NOT NULL REFERENCES oris_groups (group_id),
    status              TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    must_change         BIGINT NOT NULL DEFAULT 0,
    failed_logins       BIGINT NOT NULL DEFAULT 0,
    locked              BIGINT NOT NULL DEFAULT 0,
    last_login_at       BIGINT,
    created_at          BIGINT NOT NULL,
    CONSTRAINT oris_members_email_key UNIQUE (email)
);
CREATE INDEX oris_members_agency ON oris_members (agency_id, created_at);

-- Passwords a member had, for the no-reuse rule (the last three).
CREATE TABLE oris_password_history (
    member_id     TEXT NOT NULL REFERENCES oris_members (member_id) ON DELETE CASCADE,
    changed_at    BIGINT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE INDEX oris_password_history_member ON oris_password_history (member_id, changed_at);

-- key_hash: SHA-256 of the key (a lookup); secret_hash: argon2 of the secret.
CREATE TABLE oris_api_keys (
    api_key_id   TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL REFERENCES oris_agencies (agency_id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    CONSTRAINT oris_api_keys_hash_key UNIQUE (key_hash)
);

-- What tokens are issued under; subject_kind 'member' or 'api_key'.
CREATE TABLE oris_sessions (
    session_id   TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    agency_id    TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    refresh_jti  TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX oris_sessions_subject ON oris_sessions (subject_id);

-- term_type: the type's code (개인정보제3자제공, 개인정보보호서약서).
CREATE TABLE oris_terms (
    term_id         TEXT PRIMARY KEY,
    term_type       TEXT NOT NULL,
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    version         TEXT NOT NULL,
    required        BIGINT NOT NULL,
    initiation_date BIGINT,
    created_at      BIGINT NOT NULL
);

-- A fresh sandbox has one term of each type in force.
INSERT INTO oris_terms (term_id, term_type, title, content, version, required, initiation_date, created_at) VALUES
  ('01JA0000000000000000000TP1', '개인정보제3자제공', '개인정보 제3자 제공 동의',
   '해외송금 통합관리시스템은 송금인의 해외송금 내역을 참가기관에 제공합니다. 제공 항목: 성명, 송금인 구분, 국가, 송금 일시, 송금액(USD 환산). 보유 기간: 5년.',
   '1.0', 1, 1735657200000000, 1735657200000000),
  ('01JA0000000000000000000PL1', '개인정보보호서약서', '개인정보보호 서약서',
   '본인은 해외송금 통합관리시스템에서 취급하는 개인정보를 업무 목적 외에 이용하거나 제3자에게 제공하지 않을 것을 서약합니다.',
   '1.0', 1, 1735657200000000, 1735657200000000);

CREATE TABLE oris_member_consents (
    consent_id TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES oris_members (member_id) ON DELETE CASCADE,
    term_id    TEXT NOT NULL REFERENCES oris_terms (term_id),
    consent_at BIGINT NOT NULL,
    CONSTRAINT oris_member_consents_key UNIQUE (member_id, term_id)
);

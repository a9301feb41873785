-- OBP KYC documents, media, checks and statuses, and the accounts opened
-- through OBP (finhub_core::obp::{kyc, accounts}). Times BIGINT microseconds
-- UTC; booleans BIGINT 0/1. updated_at orders the lists (newest first).

-- Keyed by the path's KYC_DOCUMENT_ID: an add overwrites it.
CREATE TABLE obp_kyc_documents (
    id              TEXT PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES obp_customers (customer_id),
    customer_number TEXT NOT NULL,
    doc_type        TEXT NOT NULL,
    number          TEXT NOT NULL,
    issue_date      BIGINT,
    issue_place     TEXT NOT NULL,
    expiry_date     BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX obp_kyc_documents_customer ON obp_kyc_documents (customer_id);

CREATE TABLE obp_kyc_media (
    id                         TEXT PRIMARY KEY,
    bank_id                    TEXT NOT NULL,
    customer_id                TEXT NOT NULL REFERENCES obp_customers (customer_id),
    customer_number            TEXT NOT NULL,
    media_type                 TEXT NOT NULL,
    url                        TEXT NOT NULL,
    media_date                 BIGINT,
    relates_to_kyc_document_id TEXT NOT NULL,
    relates_to_kyc_check_id    TEXT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
CREATE INDEX obp_kyc_media_customer ON obp_kyc_media (customer_id);

CREATE TABLE obp_kyc_checks (
    id              TEXT PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES obp_customers (customer_id),
    customer_number TEXT NOT NULL,
    check_date      BIGINT,
    how             TEXT NOT NULL,
    staff_user_id   TEXT NOT NULL,
    staff_name      TEXT NOT NULL,
    satisfied       BIGINT NOT NULL,
    comments        TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX obp_kyc_checks_customer ON obp_kyc_checks (customer_id);

-- One status per (bank, customer), overwritten by each add (OBP's mapped
-- provider does the same).
CREATE TABLE obp_kyc_statuses (
    bank_id         TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES obp_customers (customer_id),
    customer_number TEXT NOT NULL,
    ok              BIGINT NOT NULL,
    status_date     BIGINT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (bank_id, customer_id)
);
CREATE INDEX obp_kyc_statuses_customer ON obp_kyc_statuses (customer_id);

-- An OBP ACCOUNT_ID at a bank and the ledger account behind it.
-- routings: the account_routings as given (JSON array of {scheme, address}).
CREATE TABLE obp_accounts (
    bank_id           TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    ledger_account_id TEXT NOT NULL UNIQUE REFERENCES accounts (account_id),
    user_id           TEXT NOT NULL REFERENCES obp_users (user_id),
    label             TEXT NOT NULL,
    product_code      TEXT NOT NULL,
    branch_id         TEXT NOT NULL,
    routings          TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (bank_id, account_id)
);

-- The arbiter of OBP-30115: one account per (bank, scheme, address).
CREATE TABLE obp_account_routings (
    bank_id    TEXT NOT NULL,
    scheme     TEXT NOT NULL,
    address    TEXT NOT NULL,
    account_id TEXT NOT NULL,
    PRIMARY KEY (bank_id, scheme, address),
    FOREIGN KEY (bank_id, account_id) REFERENCES obp_accounts (bank_id, account_id)
);

-- Konaplate cards (finhub_core::konaplate::cards): applications with their
-- delivery, pre-issued physical cards, tax-deduction applications and each
-- card's fixed virtual account. Times BIGINT microseconds UTC.

-- One row per C1/C3/C4 application. delivery is NULL for a mobile product;
-- the physical_* columns are filled when the courier takes the card.
CREATE TABLE kona_card_applications (
    card_apply_no    TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES kona_projects (project_id),
    user_id          BIGINT NOT NULL,
    service_id       TEXT NOT NULL,
    issue_type       TEXT NOT NULL,
    par              TEXT NOT NULL,
    status           TEXT NOT NULL,
    delivery         TEXT,
    address          TEXT,
    address_detail   TEXT,
    zip_code         TEXT,
    physical_card_no TEXT UNIQUE,
    physical_expiry  TEXT,
    physical_cvc     TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX kona_card_applications_member ON kona_card_applications (project_id, user_id);

-- A plastic card sold unregistered; claimed_by is set once, by the member
-- who registers it (C7), so two registrations cannot both win.
CREATE TABLE kona_physical_cards (
    card_no    TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES kona_projects (project_id),
    par        TEXT NOT NULL UNIQUE,
    service_id TEXT NOT NULL,
    expiry     TEXT NOT NULL,
    cvc        TEXT NOT NULL,
    claimed_by BIGINT,
    created_at BIGINT NOT NULL
);

-- C13: one application per card; the first one stands.
CREATE TABLE kona_deductions (
    project_id     TEXT NOT NULL,
    par            TEXT NOT NULL,
    user_id        BIGINT NOT NULL,
    deduction_date TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (project_id, par)
);

-- C18: a card's fixed virtual account, made on first inquiry.
CREATE TABLE kona_virtual_accounts (
    project_id TEXT NOT NULL,
    par        TEXT NOT NULL,
    account_no TEXT NOT NULL UNIQUE,
    bank_code  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, par)
);

-- OBP customer attribute definitions (finhub_core::obp::attributes): one
-- per (bank_id, name, category), the key Create or Update upserts by.
-- can_be_seen_on_views is a JSON array of strings; is_active 0/1.
CREATE TABLE obp_attribute_definitions (
    attribute_definition_id TEXT PRIMARY KEY,
    bank_id                 TEXT NOT NULL,
    name                    TEXT NOT NULL,
    category                TEXT NOT NULL,
    type                    TEXT NOT NULL,
    description             TEXT NOT NULL,
    alias                   TEXT NOT NULL,
    can_be_seen_on_views    TEXT NOT NULL,
    is_active               BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    UNIQUE (bank_id, name, category)
);
CREATE INDEX obp_attribute_definitions_category ON obp_attribute_definitions (category);

-- A customer's addresses (finhub_core::obp::profile); tags comma-joined,
-- as OBP keeps them.
CREATE TABLE obp_customer_addresses (
    customer_address_id TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES obp_customers (customer_id),
    line_1              TEXT NOT NULL,
    line_2              TEXT NOT NULL,
    line_3              TEXT NOT NULL,
    city                TEXT NOT NULL,
    county              TEXT NOT NULL,
    state               TEXT NOT NULL,
    postcode            TEXT NOT NULL,
    country_code        TEXT NOT NULL,
    tags                TEXT NOT NULL,
    status              TEXT NOT NULL,
    insert_date         BIGINT NOT NULL
);
CREATE INDEX obp_customer_addresses_customer ON obp_customer_addresses (customer_id);

CREATE TABLE obp_tax_residences (
    tax_residence_id TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES obp_customers (customer_id),
    domain           TEXT NOT NULL,
    tax_number       TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX obp_tax_residences_customer ON obp_tax_residences (customer_id);

-- Social-media handles, kept under a customer number as posted (no
-- reference to a customer: OBP stores the body's number, which may be
-- anyone's); listed by number alone.
CREATE TABLE obp_social_media_handles (
    social_media_handle_id TEXT PRIMARY KEY,
    bank_id                TEXT NOT NULL,
    customer_number        TEXT NOT NULL,
    type                   TEXT NOT NULL,
    handle                 TEXT NOT NULL,
    date_added             BIGINT,
    date_activated         BIGINT,
    created_at             BIGINT NOT NULL
);
CREATE INDEX obp_social_media_handles_number ON obp_social_media_handles (customer_number);

-- OBP customer attributes (finhub_core::obp::attributes). type: STRING,
-- INTEGER, DOUBLE or DATE_WITH_DAY.
CREATE TABLE obp_customer_attributes (
    customer_attribute_id TEXT PRIMARY KEY,
    customer_id           TEXT NOT NULL REFERENCES obp_customers (customer_id),
    bank_id               TEXT NOT NULL,
    name                  TEXT NOT NULL,
    type                  TEXT NOT NULL,
    value                 TEXT NOT NULL,
    created_at            BIGINT NOT NULL
);
CREATE INDEX obp_customer_attributes_customer ON obp_customer_attributes (customer_id);
CREATE INDEX obp_customer_attributes_bank ON obp_customer_attributes (bank_id, name, value);

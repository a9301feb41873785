-- OBP user–customer links (finhub_core::obp::links); bank_id is the customer's.
CREATE TABLE obp_user_customer_links (
    user_customer_link_id TEXT PRIMARY KEY,
    user_id               TEXT NOT NULL REFERENCES obp_users (user_id),
    customer_id           TEXT NOT NULL REFERENCES obp_customers (customer_id),
    bank_id               TEXT NOT NULL,
    date_inserted         BIGINT NOT NULL,
    is_active             BIGINT NOT NULL,
    UNIQUE (user_id, customer_id)
);
CREATE INDEX obp_links_customer ON obp_user_customer_links (customer_id);

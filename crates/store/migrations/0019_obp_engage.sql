-- OBP meetings, customer messages and CRM events (finhub_core::obp::engage).
-- Times BIGINT microseconds UTC.

-- creator and invitees: JSON, as the request sent them (contact details
-- and an invitee's status); staff and customer user are the creator's user.
CREATE TABLE obp_meetings (
    meeting_id       TEXT PRIMARY KEY,
    bank_id          TEXT NOT NULL,
    provider_id      TEXT NOT NULL,
    purpose_id       TEXT NOT NULL,
    when_at          BIGINT,
    creator          TEXT NOT NULL,
    invitees         TEXT NOT NULL,
    staff_user_id    TEXT NOT NULL REFERENCES obp_users (user_id),
    customer_user_id TEXT NOT NULL REFERENCES obp_users (user_id),
    created_at       BIGINT NOT NULL
);
CREATE INDEX obp_meetings_bank ON obp_meetings (bank_id, staff_user_id);

-- user_id: the user a v1.4.0 message is addressed to; NULL for a v4.0.0
-- message, which is kept for the customer. transport '' for v1.4.0.
CREATE TABLE obp_customer_messages (
    message_id      TEXT PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES obp_customers (customer_id),
    user_id         TEXT REFERENCES obp_users (user_id),
    sent_at         BIGINT NOT NULL,
    message         TEXT NOT NULL,
    transport       TEXT NOT NULL,
    from_department TEXT NOT NULL,
    from_person     TEXT NOT NULL
);
CREATE INDEX obp_messages_user ON obp_customer_messages (user_id, bank_id);
CREATE INDEX obp_messages_customer ON obp_customer_messages (customer_id, bank_id);

-- Seeded (OBP has no API that makes them).
CREATE TABLE obp_crm_events (
    crm_event_id    TEXT PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    customer_number TEXT NOT NULL,
    category        TEXT NOT NULL,
    detail          TEXT NOT NULL,
    channel         TEXT NOT NULL,
    scheduled_date  BIGINT,
    actual_date     BIGINT,
    result          TEXT NOT NULL
);
CREATE INDEX obp_crm_events_bank ON obp_crm_events (bank_id);

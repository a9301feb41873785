-- Konaplate charging and paying (R1–R6, P2, P3): one-time tokens, every
-- money request of a project under its caller's id, the card history and
-- the refunds of cancelled charges. Times BIGINT microseconds UTC (world
-- clock); amounts BIGINT won.

CREATE TABLE kona_tokens (
    project_id TEXT NOT NULL,
    token      TEXT NOT NULL,
    dcvv       TEXT NOT NULL,
    par        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by    TEXT,
    PRIMARY KEY (project_id, token)
);

-- request_key: seq:<sequenceId> (R2, R3, R5), tx:<transactionId> (P2),
-- pc:<nrNumber> (P3). The primary key is the arbiter of "applied once".
CREATE TABLE kona_moves (
    project_id      TEXT NOT NULL,
    request_key     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    user_id         BIGINT NOT NULL,
    fingerprint     TEXT NOT NULL,
    nr_number       TEXT NOT NULL,
    par             TEXT,
    amount_minor    BIGINT NOT NULL,
    orig_nr         TEXT,
    merchant_id     TEXT,
    counter_account TEXT,
    result          TEXT NOT NULL,
    refusal         TEXT,
    approval_code   TEXT,
    balance_after   BIGINT,
    cancelled_by    TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (project_id, request_key)
);
CREATE INDEX kona_moves_nr ON kona_moves (project_id, nr_number);

CREATE TABLE kona_card_txns (
    project_id     TEXT NOT NULL,
    par            TEXT NOT NULL,
    user_id        BIGINT NOT NULL,
    nr_number      TEXT NOT NULL,
    tr_type        TEXT NOT NULL,
    is_cancel      BIGINT NOT NULL,
    amount_minor   BIGINT NOT NULL,
    balance_before BIGINT NOT NULL,
    balance_after  BIGINT NOT NULL,
    approval_code  TEXT NOT NULL,
    merchant_name  TEXT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (project_id, nr_number, is_cancel)
);
CREATE INDEX kona_card_txns_card ON kona_card_txns (project_id, par, at);

CREATE TABLE kona_refunds (
    project_id   TEXT NOT NULL,
    nr_number    TEXT NOT NULL,
    account_id   TEXT NOT NULL REFERENCES accounts (account_id),
    amount_minor BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    paid_at      BIGINT,
    PRIMARY KEY (project_id, nr_number)
);
CREATE INDEX kona_refunds_due ON kona_refunds (paid_at, due_at);

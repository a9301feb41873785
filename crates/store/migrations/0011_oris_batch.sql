-- ORIS bulk reporting (finhub_core::oris::batch): batches, their chunks, the
-- rows each chunk carried, and the rows refused when the batch was applied.
-- Times BIGINT microseconds UTC; portable DDL.

CREATE TABLE oris_batches (
    batch_id        TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES oris_agencies (agency_id),
    name            TEXT NOT NULL,
    batch_type      TEXT NOT NULL,
    expected_rows   BIGINT NOT NULL CHECK (expected_rows > 0),
    source_type     TEXT NOT NULL,
    file_name       TEXT,
    file_size       BIGINT,
    notes           TEXT,
    status          TEXT NOT NULL,
    created_by_id   TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT,
    rows_received   BIGINT NOT NULL DEFAULT 0,
    rows_validated  BIGINT NOT NULL DEFAULT 0,
    rows_merged     BIGINT NOT NULL DEFAULT 0,
    rows_failed     BIGINT NOT NULL DEFAULT 0,
    -- Who may apply it now, and until when (renewed every chunk).
    lease_owner     TEXT,
    lease_until     BIGINT,
    -- Counted rows never exceed what was uploaded.
    CHECK (rows_merged + rows_failed = rows_validated AND rows_validated <= rows_received)
);
CREATE INDEX oris_batches_agency ON oris_batches (agency_id, created_at);
CREATE INDEX oris_batches_status ON oris_batches (status);

CREATE TABLE oris_batch_chunks (
    batch_id        TEXT NOT NULL REFERENCES oris_batches (batch_id),
    seq             BIGINT NOT NULL,
    upload_type     TEXT NOT NULL,
    status          TEXT NOT NULL,
    rows_declared   BIGINT NOT NULL,
    rows_received   BIGINT NOT NULL,
    file_name       TEXT NOT NULL,
    file_size       BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    idempotency_key TEXT,
    created_at      BIGINT NOT NULL,
    merged_at       BIGINT,
    PRIMARY KEY (batch_id, seq)
);

-- A chunk's rows as the face read them; `problem` says why one could not be.
CREATE TABLE oris_batch_rows (
    batch_id         TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    row_index        BIGINT NOT NULL,
    action           TEXT,
    bmi              TEXT NOT NULL,
    user_id          TEXT,
    request_date     BIGINT,
    usd_cents        BIGINT,
    currency         TEXT,
    amount           TEXT,
    evidence         BIGINT,
    receiver_country TEXT,
    return_date      BIGINT,
    reason           TEXT,
    problem          TEXT,
    PRIMARY KEY (batch_id, seq, row_index),
    FOREIGN KEY (batch_id, seq) REFERENCES oris_batch_chunks (batch_id, seq)
);

CREATE TABLE oris_batch_errors (
    batch_id  TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    row_index BIGINT NOT NULL,
    bmi       TEXT NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    PRIMARY KEY (batch_id, seq, row_index),
    FOREIGN KEY (batch_id, seq) REFERENCES oris_batch_chunks (batch_id, seq)
);

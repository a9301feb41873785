-- Statistics submitted to the support APIs (finhub_core::stats). One row
-- per kind, organisation, type and week: a re-send replaces the row.
-- body is the submitted JSON document; dates TEXT YYYY-MM-DD; times BIGINT
-- microseconds UTC.

CREATE TABLE mydata_statistics (
    kind         TEXT NOT NULL,
    org_code     TEXT NOT NULL,
    stat_type    BIGINT NOT NULL,
    inquiry_date TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    CONSTRAINT mydata_statistics_week_key UNIQUE (kind, org_code, stat_type, inquiry_date)
);

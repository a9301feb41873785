-- A version per kind of cached row (and one per ledger writer), bumped in
-- the transaction that changes such a row: nodes on one PostgreSQL read
-- them before each request to drop copies another node made stale (the
-- store's coherence module; the bumping triggers are PostgreSQL's only).
CREATE TABLE cluster_epochs (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

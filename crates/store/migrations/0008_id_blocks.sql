-- Ranges of ids handed out to writers. A writer (one per process, and the
-- bulk loader) takes a block at a time in a short transaction of its own,
-- so nodes sharing one database never pick the same journal entry id.
-- Portable DDL.

CREATE TABLE id_blocks (
    name    TEXT PRIMARY KEY,
    next_id BIGINT NOT NULL
);

INSERT INTO id_blocks (name, next_id)
SELECT 'journal_entries', COALESCE(MAX(entry_id), 0) + 1 FROM journal_entries;

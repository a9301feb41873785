-- Recovery of Konaplate money requests a dead process left half-done.
-- claimed_at: when the move was claimed or last taken over, in REAL time
-- (microseconds UTC, not the world clock a sandbox moves), so a pass can
-- tell a crashed request from a running one. Moves from before are 0:
-- whatever of them is still pending is long stale.
ALTER TABLE kona_moves ADD COLUMN claimed_at BIGINT NOT NULL DEFAULT 0;

-- The pass at the start of every R- and P-call reads only unfinished moves.
CREATE INDEX kona_moves_unfinished ON kona_moves (claimed_at) WHERE result = 'PENDING';

-- Recovery finds the card of a ledger entry by its account.
CREATE INDEX kona_cards_account ON kona_cards (account_id);

-- The refresh family an authorization code's tokens will belong to, chosen
-- when the person consents, so a consent record keyed by it exists before
-- the code is exchanged. Codes live minutes: those issued before this
-- migration get a family of their own.
ALTER TABLE oauth_auth_codes ADD COLUMN family_id TEXT NOT NULL DEFAULT '';

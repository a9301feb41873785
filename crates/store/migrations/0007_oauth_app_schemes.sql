-- The app schemes a client registered (MyData 개별인증-001's app_scheme),
-- a JSON list; none registered accepts any.
ALTER TABLE oauth_clients ADD COLUMN app_schemes TEXT NOT NULL DEFAULT '[]';

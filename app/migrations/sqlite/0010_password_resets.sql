-- Forgotten passwords: a link by e-mail whose token is kept only as its SHA-256, valid 30
-- minutes and once.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    ip TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Changing a mobile number or e-mail address (P1.1.2): the new address (encrypted, and masked
-- for the page) waits for the code sent to it, kept as a hash; 30 minutes, five tries.
CREATE TABLE contact_changes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    value_enc TEXT NOT NULL,
    value_masked TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX contact_changes_user ON contact_changes (user_id, kind, created_at);

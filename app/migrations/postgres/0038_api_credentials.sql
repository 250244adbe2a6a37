-- The open API's credentials (issue 19): issued by an enterprise's admin; the key id is public,
-- the secret is kept encrypted (bound to its row) and shown once. Scopes (comma-separated
-- codes), an optional IP allow-list (addresses or CIDR networks, comma-separated), an expiry;
-- a rotation issues a successor (`rotated_to`) and lets this one work until `active_until`;
-- revocation ends it at once. `last_used_at` is written at most once a minute.
CREATE TABLE api_credentials (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    key_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    scopes TEXT NOT NULL,
    ip_allow TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    active_until BIGINT,
    rotated_to TEXT,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_credentials_enterprise ON api_credentials (enterprise_id, created_at);

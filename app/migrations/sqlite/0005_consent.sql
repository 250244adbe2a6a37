-- Cookie consent records (P2.1, P2.2): proof of every decision a visitor or user made.
CREATE TABLE consent_records (
    id TEXT PRIMARY KEY NOT NULL,
    -- The random id kept in the visitor's consent cookie; the same for their later decisions.
    consent_id TEXT NOT NULL,
    -- Set when the decision was made logged in, or linked at the next login.
    user_id TEXT,
    categories TEXT NOT NULL,
    revision BIGINT NOT NULL,
    method TEXT NOT NULL,
    lang TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    -- Truncated: /24 for IPv4, /48 for IPv6.
    ip TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consent_records_consent ON consent_records (consent_id, created_at);
CREATE INDEX consent_records_user ON consent_records (user_id, created_at);

-- Correction requests (issue 16 §4, P6.2): the values a person proposes, and — once a reviewer
-- applied them — the values before. Both encrypted, bound to their row.
CREATE TABLE privacy_corrections (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES privacy_requests(id),
    -- person_name, enterprise_name, registered_address, business_scope
    field TEXT NOT NULL,
    proposed_enc TEXT NOT NULL,
    before_enc TEXT,
    applied_at BIGINT,
    UNIQUE (request_id, field)
);
-- A new business licence for a change it shows (the enterprise's name or address).
ALTER TABLE privacy_requests ADD COLUMN licence_file_id TEXT;

-- Operator management in the console: an operator created (or reset) by a super-admin enrols
-- through a one-time link (72 hours, stored as its SHA-256): a new password, the TOTP secret
-- from a QR code, and one code to confirm it. Until then the operator cannot log in.
ALTER TABLE operators ADD COLUMN enrolled_at BIGINT;
UPDATE operators SET enrolled_at = created_at;

CREATE TABLE operator_enrolments (
    id TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    token_hash TEXT NOT NULL UNIQUE,
    new_secret INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX operator_enrolments_operator ON operator_enrolments (operator_id, created_at);

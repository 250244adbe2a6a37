-- Four eyes on money (issue 14). A transfer to an enterprise's bank account is approved by two
-- different finance operators: the first approval moves it to 'checked' (who and when is kept
-- here), the second posts it. A bank credit above the configured threshold is recorded as
-- 'held' and booked only when a second operator, not the one who recorded it, approves it;
-- a rejected credit keeps its bank reference in `rejected_ref` and frees `bank_ref` (set to
-- 'rejected:<id>') so the correct credit can be recorded.
ALTER TABLE transfers ADD COLUMN checked_by TEXT;
ALTER TABLE transfers ADD COLUMN checked_at BIGINT;
ALTER TABLE bank_credits ADD COLUMN checked_by TEXT;
ALTER TABLE bank_credits ADD COLUMN checked_at BIGINT;
ALTER TABLE bank_credits ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE bank_credits ADD COLUMN rejected_ref TEXT;

-- Registration with a code (issue 14, enumeration): the form is kept here until the code
-- e-mailed to the address is entered, so that its answer never says whether the address or
-- the number has an account. Contacts are encrypted (and blanked once used), the password is
-- kept only as its hash, the IP truncated; housekeeping deletes a row a day after it expires.
CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    mobile_enc TEXT NOT NULL,
    email_enc TEXT NOT NULL,
    email_idx TEXT NOT NULL,
    email_masked TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    privacy_version_id TEXT NOT NULL,
    terms_version_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX registrations_email ON registrations (email_idx, created_at);

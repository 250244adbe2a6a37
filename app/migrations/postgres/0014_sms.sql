-- Text messages through an SMS gateway (P7.1): the template and its variables (encrypted, as
-- the body), the recipient's blind index (the mobile's, so the limits per number, one a minute
-- and ten a day, are counted without decrypting) and when the last attempt was claimed.
ALTER TABLE outbox ADD COLUMN sms_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN recipient_idx TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN last_attempt_at BIGINT;
CREATE INDEX outbox_recipient ON outbox (recipient_idx, last_attempt_at);
-- Forgotten passwords by a code in a text message as well as by a link in an e-mail: the code
-- is kept as a hash, and a code gets five tries.
ALTER TABLE password_resets ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE password_resets ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;

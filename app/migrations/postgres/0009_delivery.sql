-- Delivery of the outbox (P7.1): each message's attempts with back-off, a dead-letter state
-- after the last attempt, the lease of the worker that is sending it, the transport that
-- delivered it (SMTP, or the development mailbox) and its Message-ID.
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN transport TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Delivery of the outbox (P7.1): each message's attempts with back-off, a dead-letter state
-- after the last attempt, the lease of the worker that is sending it, the transport that
-- delivered it (SMTP, or the development mailbox) and its Message-ID.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN transport TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
-- An operator's re-send gets a new Message-ID (receivers drop a repeated one).
ALTER TABLE outbox ADD COLUMN resends INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
-- Messages queued before delivery existed are not sent now (invitation links have expired,
-- notices are stale): an operator re-sends what is still wanted.
UPDATE outbox SET status = 'dead', last_error = 'queued before delivery existed: re-send it if it is still wanted'
WHERE status = 'pending';

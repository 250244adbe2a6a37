-- no-transaction
-- Publishing a new version of the worker service agreement (issue 18 §2; the agreement's §6:
-- "when the platform changes this agreement it publishes a new version and tells you"). The
-- platform's notice is an invitation to sign the new version that no login person sent:
-- `created_by` may be empty, and `notice_for` names the version the platform's text announced.
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (the documented procedure:
-- foreign keys off, new table, copy, swap), in one transaction of its own: an interrupted run
-- leaves the old table, and the next start does it all again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS worker_sign_invites_rebuilt;
CREATE TABLE worker_sign_invites_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    token_hash TEXT NOT NULL UNIQUE,
    mobile_enc TEXT NOT NULL,
    mobile_hint TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    notice_for TEXT REFERENCES worker_agreements (id)
);
INSERT INTO worker_sign_invites_rebuilt (id, worker_id, enterprise_id, token_hash, mobile_enc, mobile_hint,
    created_by, created_at, expires_at, used_at)
    SELECT id, worker_id, enterprise_id, token_hash, mobile_enc, mobile_hint, created_by, created_at, expires_at, used_at
    FROM worker_sign_invites;
DROP TABLE worker_sign_invites;
ALTER TABLE worker_sign_invites_rebuilt RENAME TO worker_sign_invites;
CREATE INDEX worker_sign_invites_worker ON worker_sign_invites (worker_id, created_at);
COMMIT;
PRAGMA foreign_keys = ON;

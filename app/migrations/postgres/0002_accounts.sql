-- Accounts (issue 3): login persons with encrypted contact fields, operators with TOTP,
-- server-side sessions, login history, policy documents and acceptances, applications and
-- their files, invitations, the outbox and the hash-chained audit log.
--
-- The 0001 person tables held demo data only, with contact fields in plain text; they are
-- replaced by tables whose contact fields are encrypted (AES-GCM) and looked up through a
-- keyed hash (blind index, P4.3). The demo seed runs again.

DROP TABLE enterprise_users;
DROP TABLE operators;
DELETE FROM enterprises;
DELETE FROM announcements;
DELETE FROM app_meta WHERE key = 'demo_seeded_at';

ALTER TABLE enterprises ADD COLUMN registered_address TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN business_scope TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN application_id TEXT;

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT REFERENCES enterprises (id),
    name TEXT NOT NULL,
    mobile_enc TEXT NOT NULL,
    mobile_idx TEXT NOT NULL UNIQUE,
    email_enc TEXT NOT NULL,
    email_idx TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT,
    permissions TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_enterprise ON users (enterprise_id);

CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    status TEXT NOT NULL,
    totp_secret_enc TEXT NOT NULL,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    principal_kind TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    second_factor_ok BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);

CREATE TABLE login_events (
    id TEXT PRIMARY KEY,
    principal_kind TEXT NOT NULL,
    principal_id TEXT,
    at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    success BIGINT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX login_events_principal ON login_events (principal_kind, principal_id, at);

CREATE TABLE policy_documents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    effective_at BIGINT NOT NULL,
    content_zh TEXT NOT NULL,
    content_en TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);

CREATE TABLE policy_acceptances (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    privacy_version_id TEXT NOT NULL REFERENCES policy_documents (id),
    terms_version_id TEXT NOT NULL REFERENCES policy_documents (id),
    accepted_at BIGINT NOT NULL,
    method TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX policy_acceptances_user ON policy_acceptances (user_id, accepted_at);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    status TEXT NOT NULL,
    enterprise_name TEXT NOT NULL DEFAULT '',
    credit_code TEXT NOT NULL DEFAULT '',
    credit_code_check_ok BIGINT NOT NULL DEFAULT 1,
    registered_address TEXT NOT NULL DEFAULT '',
    business_scope TEXT NOT NULL DEFAULT '',
    platform_name TEXT NOT NULL DEFAULT '',
    platform_url TEXT NOT NULL DEFAULT '',
    platform_description TEXT NOT NULL DEFAULT '',
    outsourced_work TEXT NOT NULL DEFAULT '',
    reviewer_message TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT,
    enterprise_id TEXT REFERENCES enterprises (id),
    submitted_at BIGINT,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_status ON applications (status, submitted_at);

CREATE TABLE stored_files (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    purpose TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX stored_files_application ON stored_files (application_id, created_at);

CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    mobile_enc TEXT NOT NULL,
    email_enc TEXT NOT NULL,
    role TEXT NOT NULL,
    permissions TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX invites_enterprise ON invites (enterprise_id, created_at);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient_enc TEXT NOT NULL,
    recipient_masked TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_enc TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_created ON outbox (created_at);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    enterprise_id TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    result TEXT NOT NULL,
    ip TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_enterprise ON audit_log (enterprise_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

-- The chain head: one row, updated in the same transaction as each append, which serialises
-- appends on both engines.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Rights requests (issue 16 §2; P6.2, P6.3, P6.5, P10.2): a copy of my data, a correction, a
-- deletion, an account closure, a privacy question or a complaint, each due 15 days after
-- it is complete (the requester's identity verified); unverified ones lapse after seven days. What the requester and the officer write may name people, so it is encrypted
-- (bound to its row); the timeline's details are codes only.
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    -- The requester's enterprise when they asked (the enterprise a closure or an enterprise
    -- copy is about).
    enterprise_id TEXT REFERENCES enterprises(id),
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    ground TEXT,
    details_enc TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The idempotency key of the form that submitted it.
    form_key TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    -- 15 days after the identity was verified (null until then).
    due_at INTEGER,
    verified_at INTEGER,
    answered_at INTEGER,
    answer_enc TEXT,
    refusal TEXT,
    fee_reason_enc TEXT,
    handled_by TEXT REFERENCES operators(id),
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, form_key)
);
CREATE INDEX privacy_requests_user ON privacy_requests (user_id, submitted_at);
CREATE INDEX privacy_requests_queue ON privacy_requests (status, due_at);

-- Every step, shown to both sides with its time.
CREATE TABLE privacy_request_steps (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES privacy_requests(id),
    -- The step's number within its request (times can be equal).
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    by_kind TEXT NOT NULL,
    operator_id TEXT REFERENCES operators(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE UNIQUE INDEX privacy_request_steps_request ON privacy_request_steps (request_id, n);

-- P6.5: the code that verifies the requester: six digits kept as a hash bound to its row,
-- 10 minutes, 3 tries.
CREATE TABLE privacy_request_codes (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES privacy_requests(id),
    channel TEXT NOT NULL,
    sent_to_masked TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX privacy_request_codes_request ON privacy_request_codes (request_id, created_at);

-- The daily digest to the privacy office (one row per China day it went out).
CREATE TABLE privacy_digests (
    day TEXT PRIMARY KEY NOT NULL,
    open_count INTEGER NOT NULL,
    overdue_count INTEGER NOT NULL,
    sent_at INTEGER NOT NULL
);

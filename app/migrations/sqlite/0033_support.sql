-- Customer service (客户服务; issue 18 §3, P1.1.7). A ticket is a recorded conversation
-- between an enterprise's login person and the platform's support operators: its category,
-- subject and status, its two timers (the first answer, the resolution), the customer's
-- identity verification (needed before an operator opens the account's details) and the
-- rating given after it closed. Transcripts are kept for the data map's period after closing.
CREATE TABLE support_tickets (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    opened_by TEXT NOT NULL REFERENCES users (id),
    -- The form's key: the same form sent twice makes one ticket.
    client_key TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT,
    -- The verification asked for ('sms_code' or 'portal'; empty before), when, and when given.
    verify_method TEXT NOT NULL DEFAULT '',
    verify_requested_at BIGINT,
    verified_at BIGINT,
    rating BIGINT CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    rating_note TEXT NOT NULL DEFAULT '',
    rated_at BIGINT
);
CREATE INDEX support_tickets_enterprise ON support_tickets (enterprise_id, created_at);
CREATE INDEX support_tickets_status ON support_tickets (status, created_at);

-- The thread: numbered messages (the customer's, the operators', the platform's notes).
CREATE TABLE support_messages (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES support_tickets (id),
    seq BIGINT NOT NULL,
    author TEXT NOT NULL,
    author_id TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (ticket_id, seq)
);

-- Files attached to a message: typed by content, stripped of metadata, sealed in the file
-- store under their id.
CREATE TABLE support_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES support_tickets (id),
    message_id TEXT NOT NULL REFERENCES support_messages (id),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX support_attachments_ticket ON support_attachments (ticket_id);

-- The codes texted to the registered mobile for a ticket's verification (five tries).
CREATE TABLE support_verify_codes (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES support_tickets (id),
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX support_verify_codes_ticket ON support_verify_codes (ticket_id);

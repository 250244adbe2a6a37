-- The task library (issue 18 §1, P1.1.6): tasks an enterprise publishes, reviewed by the
-- platform before they open. A draft may be incomplete (empty texts, zero amounts).
CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    -- '<enterprise>/<form key>': a repeated submission of the new-task form finds the first.
    client_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    remote BIGINT NOT NULL,
    city TEXT NOT NULL,
    pay_kind TEXT NOT NULL,
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    units BIGINT NOT NULL CHECK (units >= 0),
    budget BIGINT NOT NULL CHECK (budget >= 0),
    workers BIGINT NOT NULL CHECK (workers >= 0),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Forbidden terms found when submitted, one per line (for the reviewer's attention).
    flags TEXT NOT NULL,
    review_note TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_by TEXT,
    decided_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX tasks_enterprise ON tasks (enterprise_id, created_at);
CREATE INDEX tasks_status ON tasks (status, submitted_at);

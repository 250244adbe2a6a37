-- The worker register (issue 18 §2): one row per person an enterprise pays, found by a keyed
-- hash of the ID number (a blind index), so that batch files and completion records name the
-- same worker. The numbers are sealed (bound to the row); the hints are masked.
CREATE TABLE workers (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    name TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_index TEXT NOT NULL,
    id_hint TEXT NOT NULL,
    mobile_enc TEXT NOT NULL,
    mobile_hint TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (enterprise_id, id_index)
);

-- A worker's payout accounts (bank card, Alipay, WeChat), one row per account.
CREATE TABLE worker_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    channel TEXT NOT NULL,
    account_enc TEXT NOT NULL,
    account_index TEXT NOT NULL,
    account_hint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (worker_id, channel, account_index)
);

-- Completion records (issue 18 §1): work done on a task, accepted explicitly, then paid by a
-- payment order of a batch (order_ref: the latest order made for it).
CREATE TABLE task_completions (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES tasks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    account_id TEXT NOT NULL REFERENCES worker_accounts (id),
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    milestone TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL,
    order_ref TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    accepted_by TEXT,
    accepted_at BIGINT
);
CREATE INDEX task_completions_task ON task_completions (task_id, recorded_at);
CREATE INDEX task_completions_worker ON task_completions (worker_id);

-- Each payment order made for a completion carries its task and completion.
ALTER TABLE payment_orders ADD COLUMN task_id TEXT;
ALTER TABLE payment_orders ADD COLUMN completion_id TEXT;
CREATE INDEX payment_orders_task ON payment_orders (task_id);

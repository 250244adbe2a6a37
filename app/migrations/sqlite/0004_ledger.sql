-- Ledger and funds (P1.1.5, P6.1). Money is BIGINT fen, times BIGINT UTC milliseconds.
--
-- Double entry: every ledger transaction has postings that sum to zero, and every account's
-- stored balance is the sum of its postings (`server verify-ledger` re-derives them). Balances
-- are signed from the platform's side: an enterprise account's balance is what the platform
-- holds for it (never negative); the platform accounts carry the other side.

CREATE TABLE ledger_accounts (
    -- 'E:<enterprise>:available|reserved|withdraw_pending' or 'P:<kind>'
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    kind TEXT NOT NULL,
    balance BIGINT NOT NULL DEFAULT 0,
    -- 1: the balance may never go below zero (every enterprise account). The services guard
    -- it with conditional updates; this check is the database's second line of defence.
    floor_zero INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (floor_zero = 0 OR balance >= 0)
);
CREATE INDEX ledger_accounts_enterprise ON ledger_accounts (enterprise_id);

INSERT INTO ledger_accounts (id, enterprise_id, kind, balance, floor_zero, updated_at) VALUES
    ('P:bank_clearing', NULL, 'bank_clearing', 0, 0, 0),
    ('P:fee_income', NULL, 'fee_income', 0, 0, 0),
    ('P:tax_withheld', NULL, 'tax_withheld', 0, 0, 0),
    ('P:paid_out', NULL, 'paid_out', 0, 0, 0);

CREATE TABLE ledger_transactions (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT,
    kind TEXT NOT NULL,
    -- The business record this transaction belongs to (order, top-up, transfer).
    reference TEXT NOT NULL,
    -- For a reversing transaction: the one it reverses.
    reverses TEXT REFERENCES ledger_transactions (id),
    -- What the enterprise calls it: its order_id, the bank reference, the transfer id.
    memo TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- One business event is posted once, whoever retries it.
    UNIQUE (kind, reference)
);

CREATE TABLE ledger_postings (
    seq INTEGER PRIMARY KEY,
    tx_id TEXT NOT NULL REFERENCES ledger_transactions (id),
    account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
    enterprise_id TEXT,
    -- What the line means to the enterprise: topup, reserve, release, payment, fee, refund, ...
    category TEXT NOT NULL,
    amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_postings_enterprise ON ledger_postings (enterprise_id, seq);
-- Only the enterprise index: every extra index is written for every posting, and the drift
-- check (which reads everything anyway) does without.

CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN
    SELECT RAISE(ABORT, 'ledger_transactions is append-only');
END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN
    SELECT RAISE(ABORT, 'ledger_transactions is append-only');
END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;

-- Each enterprise's dedicated receiving account for prepayments.
CREATE TABLE receiving_accounts (
    enterprise_id TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (id),
    account_no TEXT NOT NULL UNIQUE,
    account_name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The enterprise's own bank account, where transfers (withdrawals) go.
CREATE TABLE withdrawal_accounts (
    enterprise_id TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (id),
    account_name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    account_no_enc TEXT NOT NULL,
    account_hint TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Incoming bank credits recorded by finance; matched ones became top-ups.
CREATE TABLE bank_credits (
    id TEXT PRIMARY KEY NOT NULL,
    -- The bank's own transaction reference: re-importing a statement never credits twice.
    bank_ref TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL CHECK (amount > 0),
    bank_fee BIGINT NOT NULL DEFAULT 0 CHECK (bank_fee >= 0),
    credited BIGINT NOT NULL CHECK (credited > 0),
    payer_name TEXT NOT NULL,
    payer_account TEXT NOT NULL,
    receiving_account_no TEXT NOT NULL,
    value_date TEXT NOT NULL,
    status TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    ledger_tx TEXT,
    source TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    matched_by TEXT,
    matched_at BIGINT
);
CREATE INDEX bank_credits_enterprise ON bank_credits (enterprise_id, created_at);
CREATE INDEX bank_credits_status ON bank_credits (status, created_at);

CREATE TABLE payment_batches (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    order_count BIGINT NOT NULL,
    total_amount BIGINT NOT NULL,
    total_fee BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT
);
CREATE INDEX payment_batches_enterprise ON payment_batches (enterprise_id, created_at);

CREATE TABLE payment_orders (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    -- '<enterprise>/<order_id>': the idempotency key.
    client_key TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL,
    -- Keyed hash of the request body: the same key with another body is a conflict.
    request_hash TEXT NOT NULL,
    batch_id TEXT REFERENCES payment_batches (id),
    -- The order's line in its batch file (orders are reserved in file order).
    batch_line BIGINT,
    payee_name TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_hint TEXT NOT NULL,
    channel TEXT NOT NULL,
    account_enc TEXT NOT NULL,
    account_hint TEXT NOT NULL,
    mobile_enc TEXT NOT NULL,
    mobile_hint TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    fee BIGINT NOT NULL CHECK (fee >= 0),
    tax BIGINT NOT NULL CHECK (tax >= 0),
    received BIGINT NOT NULL CHECK (received >= 0),
    remark TEXT NOT NULL,
    project TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    channel_ref TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    paid_at BIGINT
);
CREATE INDEX payment_orders_enterprise ON payment_orders (enterprise_id, created_at);
CREATE INDEX payment_orders_status ON payment_orders (status, updated_at);
CREATE INDEX payment_orders_batch ON payment_orders (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE transfers (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    client_key TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    account_name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    account_no_enc TEXT NOT NULL,
    account_hint TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT
);
CREATE INDEX transfers_enterprise ON transfers (enterprise_id, requested_at);
CREATE INDEX transfers_status ON transfers (status, requested_at);

CREATE TABLE monthly_bills (
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    month TEXT NOT NULL,
    opening BIGINT NOT NULL,
    topups BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    fees BIGINT NOT NULL,
    refunds BIGINT NOT NULL,
    transfers BIGINT NOT NULL,
    closing BIGINT NOT NULL,
    generated_at BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, month)
);

-- The payout-channel simulator's own book (development and tests): what a bank would hold.
CREATE TABLE sim_payouts (
    payout_key TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    amount BIGINT NOT NULL,
    account_hint TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    channel_ref TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    settle_at BIGINT NOT NULL,
    settled_at BIGINT,
    returned_at BIGINT,
    return_acked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sim_payouts_returns ON sim_payouts (return_acked, returned_at);
CREATE INDEX sim_payouts_due ON sim_payouts (status, settle_at);

-- The open API's callbacks (issue 19): one callback address per enterprise, set by its admin,
-- with a signing secret (kept encrypted, bound to the enterprise, shown once). Status changes of
-- the enterprise's payment orders, invoice applications and tasks are queued as deliveries in
-- the transaction that makes them; a worker POSTs each, signed, and retries with a doubling
-- back-off for 24 hours from `window_from` (a re-send from the portal opens a new window and
-- counts `window_attempts` from nought; `attempts` counts them all).
CREATE TABLE api_callbacks (
    enterprise_id TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (id),
    url TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL
);

CREATE TABLE callback_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    window_from BIGINT NOT NULL,
    window_attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_status BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX callback_deliveries_due ON callback_deliveries (status, next_at);
CREATE INDEX callback_deliveries_enterprise ON callback_deliveries (enterprise_id, created_at);

-- Invoice events carry the application's amount and invoice number: registered for the
-- enterprise's own systems.
UPDATE sharing_recipients SET fields = fields || ',invoice_applications.amount,invoice_applications.invoice_number'
    WHERE code = 'enterprise_api' AND fields NOT LIKE '%invoice_applications.amount%';

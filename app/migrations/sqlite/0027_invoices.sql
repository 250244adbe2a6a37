-- Invoices (issue 17, P1.1.4): the enterprise's invoice profile with its history, and the
-- applications (one row per invoice; a split application is several rows sharing a form key).
CREATE TABLE invoice_profiles (
    enterprise_id TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (id),
    taxpayer_type TEXT NOT NULL,
    title TEXT NOT NULL,
    taxpayer_id TEXT NOT NULL,
    -- valid (a credit code passing its check), pending / overridden / refused (a legacy ID and
    -- the reviewer's decision).
    taxpayer_id_state TEXT NOT NULL,
    override_reason TEXT NOT NULL DEFAULT '',
    override_by TEXT,
    override_at BIGINT,
    reg_address TEXT NOT NULL,
    reg_phone TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    bank_account_enc TEXT NOT NULL,
    bank_account_hint TEXT NOT NULL,
    mail_name TEXT NOT NULL,
    mail_phone_enc TEXT NOT NULL,
    mail_phone_hint TEXT NOT NULL,
    mail_address TEXT NOT NULL,
    -- The receiving e-mail addresses, one per line, sealed together.
    emails_enc TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX invoice_profiles_state ON invoice_profiles (taxpayer_id_state, updated_at);

-- Every saved version of a profile, sealed as JSON (it holds the bank account and contacts).
CREATE TABLE invoice_profile_history (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    snapshot_enc TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX invoice_profile_history_enterprise ON invoice_profile_history (enterprise_id, changed_at);

CREATE TABLE invoice_applications (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    -- '<enterprise>/<form key>/<part>': a repeated submission finds the first.
    client_key TEXT NOT NULL UNIQUE,
    part BIGINT NOT NULL,
    parts BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    kind TEXT NOT NULL,
    medium TEXT NOT NULL,
    goods TEXT NOT NULL,
    remark TEXT NOT NULL,
    emails_enc TEXT NOT NULL,
    -- The buyer as the profile stood when applying (sealed JSON), and its title and ID in clear
    -- for the queue (they are printed on the invoice).
    buyer_enc TEXT NOT NULL,
    buyer_title TEXT NOT NULL,
    buyer_taxpayer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    applied_by TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    started_by TEXT,
    invoice_number TEXT UNIQUE,
    invoice_date TEXT,
    tax_rate BIGINT,
    price BIGINT,
    tax BIGINT,
    file_key TEXT,
    file_type TEXT,
    file_sha256 TEXT,
    issued_by TEXT,
    issued_at BIGINT,
    -- A rejection's reason (or a cancellation's note).
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at BIGINT,
    courier TEXT,
    waybill TEXT,
    mailed_by TEXT,
    mailed_at BIGINT,
    -- The red-letter invoice (红字): recorded by one finance operator, approved by another who
    -- did not issue the blue one.
    red_number TEXT UNIQUE,
    red_date TEXT,
    red_reason TEXT NOT NULL DEFAULT '',
    red_by TEXT,
    red_at BIGINT,
    red_approved_by TEXT,
    reversed_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX invoice_applications_enterprise ON invoice_applications (enterprise_id, applied_at);
CREATE INDEX invoice_applications_status ON invoice_applications (status, applied_at);

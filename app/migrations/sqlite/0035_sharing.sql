-- The sharing register (issue 19; P3.1.1-P3.1.4, P3.4): who outside the platform receives
-- personal information — its kind, purpose (and so its legal basis), the data map's fields it
-- may receive (`table.column`, comma-separated), its region, the agreement it rests on, and
-- when — and the log of every time data left. The processors the product itself sends to are
-- registered here; the server writes their regions at every start (P4.1 refuses any outside
-- the storage region before that).
CREATE TABLE sharing_recipients (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL,
    purpose TEXT NOT NULL,
    fields TEXT NOT NULL,
    region TEXT NOT NULL,
    contract_ref TEXT NOT NULL,
    active_from BIGINT NOT NULL,
    active_to BIGINT,
    created_at BIGINT NOT NULL
);
INSERT INTO sharing_recipients (id, code, name_zh, name_en, kind, purpose, fields, region, contract_ref, active_from, active_to, created_at) VALUES
    ('recipient-payout', 'payout_channel', '代付通道（银行、支付宝、微信支付）', 'Payout channels (banks, Alipay, WeChat Pay)', 'processor', 'payments',
     'payment_orders.payee_name,payment_orders.account_enc,payment_orders.amount', 'cn-mainland', '代付服务协议 / payout service agreement', 0, NULL, 0),
    ('recipient-sms', 'sms_provider', '短信服务商（阿里云短信）', 'SMS provider (Alibaba Cloud SMS)', 'processor', 'service_notices',
     'outbox.recipient_enc,outbox.sms_enc', 'cn-mainland', '短信服务协议及数据处理条款 / SMS service terms and data processing terms', 0, NULL, 0),
    ('recipient-mail', 'mail_relay', '电子邮件发送服务', 'E-mail relay', 'processor', 'service_notices',
     'outbox.recipient_enc,outbox.subject,outbox.body_enc', 'cn-mainland', '邮件服务协议及数据处理条款 / e-mail service terms and data processing terms', 0, NULL, 0);

-- Every time data left: the recipient, whose data (the enterprise, and the login person when it
-- was one of theirs), the fields sent (`table.column`, comma-separated), the basis, the time and
-- the business reference (a payment order, a message).
CREATE TABLE sharing_events (
    id TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES sharing_recipients (id),
    enterprise_id TEXT REFERENCES enterprises (id),
    user_id TEXT REFERENCES users (id),
    fields TEXT NOT NULL,
    basis TEXT NOT NULL,
    reference TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sharing_events_enterprise ON sharing_events (enterprise_id, at);
CREATE INDEX sharing_events_user ON sharing_events (user_id, at);

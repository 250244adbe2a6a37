-- The enterprise's own systems, through the open API (issue 19; P3.1.3): the orders' personal
-- fields they read back are logged as sharing events to this recipient.
INSERT INTO sharing_recipients (id, code, name_zh, name_en, kind, purpose, fields, region, contract_ref, active_from, active_to, created_at) VALUES
    ('recipient-enterprise-api', 'enterprise_api', '企业自有系统（开放接口）', 'The enterprise''s own systems (open API)', 'enterprise_system', 'payments',
     'payment_orders.payee_name,payment_orders.id_hint,payment_orders.account_hint,payment_orders.amount,payment_orders.fee,payment_orders.tax,payment_orders.received,payment_orders.remark',
     'cn-mainland', '企业账户使用规则及开放接口密钥 / the business account usage rules and the API key', 0, NULL, 0)
    ON CONFLICT (code) DO NOTHING;

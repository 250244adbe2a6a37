-- Signing the worker service agreement (签约; issue 18 §2, P6.1). The agreement is a
-- versioned document the platform publishes (the first version is here); a worker signs on
-- the phone page an invitation's text links to, confirming with a code sent by text. A
-- signature records the version, time, method, truncated network address and browser; the
-- enterprise may release it (recorded).
CREATE TABLE worker_agreements (
    id TEXT PRIMARY KEY NOT NULL,
    version TEXT NOT NULL UNIQUE,
    content_zh TEXT NOT NULL,
    content_en TEXT NOT NULL,
    -- SHA-256 of the two texts (zh, a line holding NUL, en): what was signed is provable.
    content_hash TEXT NOT NULL,
    published_by TEXT,
    published_at BIGINT NOT NULL
);
INSERT INTO worker_agreements (id, version, content_zh, content_en, content_hash, published_by, published_at) VALUES
    ('agreement-1-0', '1.0', '灵活用工服务协议（1.0 版）

一、协议双方。本协议由您（服务提供者，即承接任务的个人）与综合服务平台（以下简称“平台”）订立。向您发布任务并付款的企业（以下简称“用工企业”）通过平台与您结算。

二、服务内容。您自主决定是否承接用工企业在平台发布的任务，按任务说明完成工作。您与用工企业之间不构成劳动关系。

三、报酬与结算。任务报酬按任务的计酬方式（按件或固定预算）计算，经用工企业验收后，由平台通过您提供的收款账户（银行卡、支付宝或微信）支付。平台依法代扣代缴的税费在付款明细中列明。

四、您的信息。为向您付款并依法纳税申报，平台处理您的姓名、身份证号、手机号和收款账户。身份证号和收款账户加密保存，仅在付款和法定申报所需范围内使用，详见平台《隐私政策》。

五、签约方式。您在手机上打开平台发送的链接，阅读本协议，并以发送至您手机的验证码确认签署。平台记录签署的协议版本、时间、方式、网络地址（截短）和浏览器信息，作为签约凭证。

六、协议变更。平台修改本协议时发布新版本并通知您；新版本自您再次签署时适用。

七、解除。用工企业可解除与您的签约关系，解除会被记录；解除后的任务款项在您重新签署前暂停支付，已完成且已验收的款项不受影响。

八、争议解决。因本协议发生的争议，双方协商解决；协商不成的，提交平台所在地人民法院诉讼解决。', 'Worker Service Agreement (version 1.0)

1. Parties. This agreement is between you (the service provider: the individual who takes on tasks) and the Comprehensive Service Platform ("the platform"). The enterprise that publishes tasks to you and pays you ("the enterprise") settles with you through the platform.

2. Services. You decide freely whether to take on the tasks an enterprise publishes on the platform, and do the work as each task describes. There is no employment relationship between you and the enterprise.

3. Pay and settlement. Pay is calculated as the task states (per unit or a fixed budget) and, once the enterprise has accepted the work, paid by the platform to the payout account you gave (bank card, Alipay or WeChat). Tax the platform withholds by law is shown in the payment''s details.

4. Your information. To pay you and to file tax returns as the law requires, the platform processes your name, ID-card number, mobile number and payout account. Your ID-card number and payout account are stored encrypted and used only as far as payment and statutory filing need; see the platform''s Privacy Policy.

5. How you sign. You open the link the platform sends to your phone, read this agreement, and confirm your signature with a code sent to your phone. The platform records the version signed, the time, the method, your network address (truncated) and your browser as the record of your signature.

6. Changes. When the platform changes this agreement it publishes a new version and tells you; a new version applies once you sign it.

7. Ending the agreement. The enterprise may release you from the agreement; the release is recorded. Payments after a release wait until you sign again; work already done and accepted is not affected.

8. Disputes. Disputes under this agreement are settled by negotiation, failing which by the people''s court where the platform is located.', 'f043e5966cfd72a31020417b3e9c229ec455b2bd7a2e62eb3c2f5f6b942601f7', NULL, 0);

-- An invitation to sign: its link's token (kept as a hash), and the mobile it was texted to
-- (sealed): the codes go to that number only.
CREATE TABLE worker_sign_invites (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    token_hash TEXT NOT NULL UNIQUE,
    mobile_enc TEXT NOT NULL,
    mobile_hint TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX worker_sign_invites_worker ON worker_sign_invites (worker_id, created_at);

-- The codes sent by text to confirm a signature (kept as hashes bound to their row).
CREATE TABLE worker_sign_codes (
    id TEXT PRIMARY KEY NOT NULL,
    invite_id TEXT NOT NULL REFERENCES worker_sign_invites (id),
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX worker_sign_codes_invite ON worker_sign_codes (invite_id, created_at);

CREATE TABLE worker_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    agreement_id TEXT NOT NULL REFERENCES worker_agreements (id),
    version TEXT NOT NULL,
    invite_id TEXT NOT NULL REFERENCES worker_sign_invites (id),
    signed_at BIGINT NOT NULL,
    method TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    released_at BIGINT,
    released_by TEXT,
    release_reason TEXT NOT NULL
);
CREATE INDEX worker_signatures_worker ON worker_signatures (worker_id, signed_at);

-- A payment order's payee, by the worker register's keyed hash of the ID number: orders to a
-- payee who has not signed wait (suspended) until they sign, when the switch is on.
ALTER TABLE payment_orders ADD COLUMN payee_index TEXT;
CREATE INDEX payment_orders_payee ON payment_orders (enterprise_id, payee_index);

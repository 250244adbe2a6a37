-- Lawful disclosures (issue 19; P3.1.2, P3.4): each demand of an authority, recorded by one
-- privacy officer and approved (or refused) by a second; the ground among the policy's
-- exceptions, the law, the document, the data map's fields (`table.column`, comma-separated),
-- whose (the enterprise, and one of its login persons when named), when it was handed over,
-- and whether the subject is told, with the reason (the law may forbid telling).
CREATE TABLE lawful_disclosures (
    id TEXT PRIMARY KEY NOT NULL,
    authority TEXT NOT NULL,
    ground TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    document_ref TEXT NOT NULL,
    fields TEXT NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    user_id TEXT REFERENCES users (id),
    disclosed_at BIGINT NOT NULL,
    tell BIGINT NOT NULL,
    tell_reason TEXT NOT NULL,
    status TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    reject_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lawful_disclosures_recorded ON lawful_disclosures (recorded_at);
CREATE INDEX lawful_disclosures_enterprise ON lawful_disclosures (enterprise_id);

-- Authorities are one entry of the register: what each receives is what its demand names.
INSERT INTO sharing_recipients (id, code, name_zh, name_en, kind, purpose, fields, region, contract_ref, active_from, active_to, created_at) VALUES
    ('recipient-authorities', 'public_authorities', '依法调取信息的国家机关', 'Public authorities on lawful demand', 'authority', 'records',
     '', 'cn-mainland', '每次调取的法律文书，见合法披露登记 / the legal document of each demand, in the disclosure register', 0, NULL, 0);

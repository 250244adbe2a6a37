-- Policy versions drafted, scheduled and accepted again (P0.1, P0.4, P9), and the consent
-- purposes a user switches on and off (P1.2, P1.3, P6.4).

-- draft (the officer is still writing it; not public), published (public from published_at,
-- in force from effective_at) or withdrawn (cancelled before it took effect).
ALTER TABLE policy_documents ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
-- A material change is announced ahead and accepted again; other changes are announced only.
ALTER TABLE policy_documents ADD COLUMN material INTEGER NOT NULL DEFAULT 1;
-- What changed, for the notice and the re-consent page.
ALTER TABLE policy_documents ADD COLUMN summary_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE policy_documents ADD COLUMN summary_en TEXT NOT NULL DEFAULT '';
ALTER TABLE policy_documents ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- The operator who drafted it ('' for the first versions).
ALTER TABLE policy_documents ADD COLUMN author_id TEXT NOT NULL DEFAULT '';
UPDATE policy_documents SET updated_at = published_at;
CREATE INDEX policy_documents_status ON policy_documents (kind, status, effective_at);

-- A user who was asked to accept a version in force and declined (P9): until they accept,
-- only the privacy centre and logout are open to them.
CREATE TABLE policy_declines (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    privacy_version_id TEXT NOT NULL REFERENCES policy_documents (id),
    terms_version_id TEXT NOT NULL REFERENCES policy_documents (id),
    declined_at INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX policy_declines_user ON policy_declines (user_id, declined_at);

-- Every switch of a consent-based purpose (P1.2, P6.4). Append-only: the newest row per user
-- and purpose is the state; the older rows are the history.
CREATE TABLE purpose_consents (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    granted INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX purpose_consents_user ON purpose_consents (user_id, purpose, created_at);

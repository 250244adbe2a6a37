-- Retention (issue 16 §6, P4.2): the job's runs with their counts per rule, legal holds on
-- enterprises, and when a closed account's login person was anonymised.
CREATE TABLE retention_runs (
    id TEXT PRIMARY KEY NOT NULL,
    -- 1: a dry run (counted, nothing changed).
    dry_run BIGINT NOT NULL,
    -- `schedule`, or the operator who asked.
    run_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    -- JSON: [{"rule", "rows", "held"}].
    counts TEXT NOT NULL,
    error TEXT
);
CREATE INDEX retention_runs_started ON retention_runs (started_at);
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    reason_enc TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at BIGINT NOT NULL,
    released_by TEXT,
    released_at BIGINT
);
CREATE INDEX legal_holds_enterprise ON legal_holds (enterprise_id, released_at);
-- One open hold per enterprise.
CREATE UNIQUE INDEX legal_holds_open ON legal_holds (enterprise_id) WHERE released_at IS NULL;
ALTER TABLE users ADD COLUMN anonymised_at BIGINT;
ALTER TABLE enterprises ADD COLUMN anonymised_at BIGINT;

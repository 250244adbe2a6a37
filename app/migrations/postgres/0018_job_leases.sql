-- More than one server (issue 14 §5). A periodic job that must run once across the server
-- processes sharing this database (housekeeping, and later retention) is run by whichever
-- process holds its lease. A process claims a lease that has expired, or renews its own, with
-- one conditional upsert; the others skip that pass. `holder` is a random id a process picks
-- at start (no personal information).
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    until_at BIGINT NOT NULL
);

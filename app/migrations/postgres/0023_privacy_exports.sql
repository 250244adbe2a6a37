-- A copy of one's data (issue 16 §3, P6.1): the ZIP built for a completed copy request, in the
-- background, encrypted in the data directory (`exports/<id>`) for 7 days.
CREATE TABLE privacy_exports (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL UNIQUE REFERENCES privacy_requests(id),
    -- building, ready, expired (the file deleted), failed (after three tries).
    status TEXT NOT NULL,
    -- Progress: rows and files written out of those counted when the build began.
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    size_bytes BIGINT NOT NULL DEFAULT 0,
    -- A builder's claim: its token, and until when (renewed as it goes; another process
    -- takes over a build whose claim ran out, and the stale builder stops).
    claimed_by TEXT,
    claimed_until BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    ready_at BIGINT,
    expires_at BIGINT,
    downloads BIGINT NOT NULL DEFAULT 0,
    last_download_at BIGINT
);
CREATE INDEX privacy_exports_status ON privacy_exports (status, claimed_until);

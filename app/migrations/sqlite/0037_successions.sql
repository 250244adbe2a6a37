-- Transfers in a merger, an acquisition, a bankruptcy or an asset transfer (issue 19; P3.2):
-- the successor (also a recipient of the sharing register, whose events carry the transfer to
-- each affected enterprise's log), the kind, the basis (bound by this policy, consent asked
-- again, or the law), the date it takes effect, whether every enterprise is affected, the
-- summary told to each affected login person, and how many enterprises and people that was.
CREATE TABLE data_successions (
    id TEXT PRIMARY KEY NOT NULL,
    successor TEXT NOT NULL,
    kind TEXT NOT NULL,
    basis TEXT NOT NULL,
    effective_on BIGINT NOT NULL,
    everyone BIGINT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES sharing_recipients (id),
    enterprises BIGINT NOT NULL,
    told BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX data_successions_recorded ON data_successions (recorded_at);

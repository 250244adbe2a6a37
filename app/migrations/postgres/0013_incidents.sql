-- Security incidents (P5.5): the record, the affected enterprises, the timeline of changes,
-- when everyone affected was notified, and the public announcement made from it.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    what_happened TEXT NOT NULL,
    discovered_at BIGINT NOT NULL,
    impact TEXT NOT NULL,
    measures TEXT NOT NULL,
    advice_zh TEXT NOT NULL,
    advice_en TEXT NOT NULL,
    remedies TEXT NOT NULL,
    reported_at BIGINT,
    notified_at BIGINT,
    announcement_id TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE incident_enterprises (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (incident_id, enterprise_id)
);

CREATE TABLE incident_events (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, at);

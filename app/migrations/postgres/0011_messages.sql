-- The message centre (P7.1, P7.2): in-site messages, preferences per category and channel,
-- the language of a user's e-mails and text messages, one-click unsubscribe links on
-- promotional e-mail (RFC 8058), and announcements that are written, scheduled, withdrawn and
-- delivered to every inbox.
CREATE TABLE inbox_messages (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX inbox_messages_user ON inbox_messages (user_id, created_at);
CREATE INDEX inbox_messages_source ON inbox_messages (source);

CREATE TABLE message_preferences (
    user_id TEXT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category, channel)
);

ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';

ALTER TABLE outbox ADD COLUMN inbox_id TEXT;
ALTER TABLE outbox ADD COLUMN user_id TEXT;
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_inbox ON outbox (inbox_id);

ALTER TABLE announcements ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE announcements ADD COLUMN delivered_at BIGINT;
ALTER TABLE announcements ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
-- Announcements published before delivery existed are not sent to inboxes afterwards (those
-- still scheduled are, when their time comes).
UPDATE announcements SET delivered_at = published_at
    WHERE published_at <= CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT);

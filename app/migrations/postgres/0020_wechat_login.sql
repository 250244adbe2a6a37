-- WeChat scan-login and binding (issue 15, P1.1.3).
--
-- A ticket is what the desktop's QR code names: found by its SHA-256, kept encrypted (so that a
-- reload of the desktop's page draws the same code again), with the hash of the desktop browser's cookie that
-- alone may finish it, and, once a phone inside WeChat has scanned it, the hash of that
-- phone's cookie and the WeChat identity it authorised (encrypted; kept only while the ticket
-- lives: housekeeping deletes tickets an hour after they expire).
CREATE TABLE wechat_tickets (
    id_hash TEXT PRIMARY KEY NOT NULL,
    ticket_enc TEXT NOT NULL,
    purpose TEXT NOT NULL,
    browser_hash TEXT NOT NULL,
    bind_user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    phone_hash TEXT,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    wx_scope TEXT,
    wx_openid_enc TEXT,
    wx_unionid_enc TEXT,
    wx_nickname_enc TEXT,
    wx_avatar_url_enc TEXT,
    desktop_ip TEXT NOT NULL,
    desktop_agent TEXT NOT NULL,
    phone_ip TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX wechat_tickets_expiry ON wechat_tickets (expires_at);
CREATE INDEX wechat_tickets_browser ON wechat_tickets (browser_hash, status, expires_at);

-- The OAuth `state` (CSRF): random, single-use, bound to the phone's cookie and one ticket
-- (kept encrypted, to send the phone back to its page).
CREATE TABLE wechat_states (
    state_hash TEXT PRIMARY KEY NOT NULL,
    ticket_hash TEXT NOT NULL,
    ticket_enc TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX wechat_states_expiry ON wechat_states (expires_at);

-- One WeChat identity per login person and one login person per WeChat identity. Both the
-- openid (what a silent `snsapi_base` login yields) and the unionid (when WeChat gives one)
-- are kept, encrypted, and found by their keyed hashes; `identity_kind` says which one names
-- the person. The nickname and the avatar (a file in the file store) only after the user
-- authorised `snsapi_userinfo`; unbinding deletes the row and the file.
CREATE TABLE wechat_bindings (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    identity_kind TEXT NOT NULL,
    openid_idx TEXT NOT NULL UNIQUE,
    unionid_idx TEXT UNIQUE,
    openid_enc TEXT NOT NULL,
    unionid_enc TEXT,
    scope TEXT NOT NULL,
    nickname_enc TEXT,
    avatar_file_id TEXT,
    bound_at BIGINT NOT NULL
);

-- How each login was made (`password`, `wechat`, `registration`, `invitation`).
ALTER TABLE login_events ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

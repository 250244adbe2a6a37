-- A message may carry one stored file as an e-mail attachment (an electronic invoice to the
-- receiving addresses, issue 17): the file store's key (the file stays sealed there; the
-- delivery worker opens it when it sends), the name the recipient sees and its media type.
ALTER TABLE outbox ADD COLUMN attachment_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';

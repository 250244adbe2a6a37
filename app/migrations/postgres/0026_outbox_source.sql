-- What an outgoing message reports, as its in-site copy says (`person:<user id>` for a notice
-- about someone other than its recipient, such as a join request naming its applicant): that
-- person's deletion deletes it (issue 16 §5, P6.3).
ALTER TABLE outbox ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_source ON outbox (source);
-- A person's messages, found by their id (a deletion, the purge of its answer once delivered).
CREATE INDEX outbox_user ON outbox (user_id);

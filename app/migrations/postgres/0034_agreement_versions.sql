-- Publishing a new version of the worker service agreement (issue 18 §2; the agreement's §6:
-- "when the platform changes this agreement it publishes a new version and tells you"). The
-- platform's notice is an invitation to sign the new version that no login person sent:
-- `created_by` may be empty, and `notice_for` names the version the platform's text announced.
ALTER TABLE worker_sign_invites ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE worker_sign_invites ADD COLUMN notice_for TEXT REFERENCES worker_agreements (id);

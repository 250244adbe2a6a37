-- Registration confirms the mobile number too (issue 14, enumeration): once the code e-mailed
-- to the address is right, a code is texted to the number, and the account is created only
-- after that one; so only someone who holds both learns that either already has an account,
-- and only someone who proved a mailbox makes the platform send a text. The number's keyed
-- hash limits the texts to one number; its masked form is what the code page shows ('' when
-- no SMS gateway is configured and the e-mailed code is the last).
ALTER TABLE registrations ADD COLUMN mobile_idx TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN mobile_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN email_confirmed_at BIGINT;
CREATE INDEX registrations_mobile ON registrations (mobile_idx, email_confirmed_at);

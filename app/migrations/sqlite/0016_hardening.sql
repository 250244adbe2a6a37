-- Issue 14 (hardening). The payer's account number of a bank credit is encrypted like every
-- other account number (P4.3): `payer_account` keeps only the masked form for lists, and
-- `payer_account_enc` the whole number. Rows written before this migration are sealed when
-- the server starts (the key is not in the database, so SQL cannot do it).
ALTER TABLE bank_credits ADD COLUMN payer_account_enc TEXT;

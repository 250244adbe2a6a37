-- Issue 14 (hardening). The payer's account number of a bank credit is encrypted like every
-- other account number (P4.3): `payer_account` keeps only the masked form for lists, and
-- `payer_account_enc` the whole number. Rows written before this migration are sealed when
-- the server starts (the key is not in the database, so SQL cannot do it).
ALTER TABLE bank_credits ADD COLUMN payer_account_enc TEXT;

-- The audit chain's seals (issue 14): anyone who can write to the database could recompute
-- the whole SHA-256 chain after editing an entry. Each seal is the chain's head (its last
-- sequence number and hash) with an HMAC under a key derived from the key file, which is not
-- in the database: a recomputed chain no longer matches the sealed hashes.
CREATE TABLE audit_seals (
    seq BIGINT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT NOT NULL,
    at BIGINT NOT NULL
);

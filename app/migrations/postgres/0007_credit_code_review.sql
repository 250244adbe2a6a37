-- One business account per credit code is a rule of the admission review, not of the schema:
-- a reviewer may open a second account for a code with a recorded reason (issue 11).
ALTER TABLE enterprises DROP CONSTRAINT enterprises_credit_code_key;
CREATE INDEX enterprises_credit_code ON enterprises (credit_code);

-- The applicant of a credit code already registered asks a reviewer to decide (issue 11).
ALTER TABLE applications ADD COLUMN duplicate_review INTEGER NOT NULL DEFAULT 0;
CREATE INDEX applications_credit_code ON applications (credit_code, status);

-- The verification code printed on a paid order's receipt (drawn at random when the receipt is
-- first issued; the platform checks a receipt against it).
ALTER TABLE payment_orders ADD COLUMN receipt_code TEXT;

-- The applicant of a credit code already registered asks a reviewer to decide (issue 11).
ALTER TABLE applications ADD COLUMN duplicate_review BIGINT NOT NULL DEFAULT 0;
CREATE INDEX applications_credit_code ON applications (credit_code, status);

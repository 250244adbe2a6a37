-- Account closure (issue 16 §5, P6.3): when an enterprise was closed (its retention clock
-- starts then).
ALTER TABLE enterprises ADD COLUMN closed_at BIGINT;

-- What each sharing event was sent for (P3.1.1): the recipient's registered purpose, or the
-- consent-based purpose whose consent it rested on (a promotion carried by the e-mail relay).
-- Empty for events logged before: their purpose is their recipient's. The `basis` column now
-- keeps the event's own grounds: the registered basis, `consent`, or `deidentified`.
ALTER TABLE sharing_events ADD COLUMN purpose TEXT NOT NULL DEFAULT '';

-- Each petition's copy of its association's erase_months (005) is no longer
-- read: since SDK 1.3 the daily job reads the association's setting itself.
ALTER TABLE petitions_petitions DROP COLUMN erase_months;

-- The association's erase_months, kept on each petition when a coordinator
-- creates or saves it: the daily job that notes petitions closed by their
-- deadline runs for no association, so it could only read the default.
-- 0: saved before this column (the job falls back to the default).
ALTER TABLE petitions_petitions ADD COLUMN erase_months INTEGER NOT NULL DEFAULT 0;

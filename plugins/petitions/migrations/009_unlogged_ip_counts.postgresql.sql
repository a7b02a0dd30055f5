-- The per-IP counts only hold a rate limit's window: they skip the
-- write-ahead log, a cost each new address paid in a burst (issue 7). A
-- crash empties an unlogged table, which only restarts the windows; a
-- standby does not get it, and needs no rate limit.
ALTER TABLE petitions_ip_counts SET UNLOGGED;

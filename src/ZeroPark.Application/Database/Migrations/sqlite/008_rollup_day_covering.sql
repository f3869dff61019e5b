-- PostgreSQL's migration 8 makes its rollup_day key index carry the values (index-only scans). Nothing changes here: the
-- number is kept in step so that both stores report the same schema version.
SELECT 1;

-- Hourly rollups stored compactly: one row per series and park-local day (the day containing ts − 1 s, the same key as
-- rollup_day), the day's hourly buckets encoded in `data` (see HourBlock: varint hour deltas, sum, n, nflag, nest).
-- One B-tree entry per series-day instead of 24 made hourly rollups affordable on PostgreSQL's ingest path.
-- The rows of rollup_hour are converted by the store right after this script (it needs each park's time zone),
-- in the same transaction, and rollup_hour is dropped.
CREATE TABLE rollup_hours (
  series_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (series_id, day)
);
ALTER TABLE rollup_hours ALTER COLUMN data SET STORAGE EXTERNAL;

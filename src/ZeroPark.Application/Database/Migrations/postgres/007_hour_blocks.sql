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
-- meter_state (every meter of a batch) and rollup_month (every series of a batch, until the month ends) are updated in
-- place on every ingest: leave room on their pages so those updates stay on the page (HOT) and skip the index.
ALTER TABLE meter_state SET (fillfactor = 50);
ALTER TABLE rollup_month SET (fillfactor = 50);

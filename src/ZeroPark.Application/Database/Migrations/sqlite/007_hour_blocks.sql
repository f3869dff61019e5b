-- Hourly rollups stored compactly: one row per series and park-local day (the day containing ts − 1 s, the same key as
-- rollup_day), the day's hourly buckets encoded in `data` (see HourBlock: varint hour deltas, sum, n, nflag, nest).
-- The rows of rollup_hour are converted by the store right after this script (it needs each park's time zone),
-- in the same transaction, and rollup_hour is dropped.
CREATE TABLE rollup_hours (
  series_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (series_id, day)
) WITHOUT ROWID;

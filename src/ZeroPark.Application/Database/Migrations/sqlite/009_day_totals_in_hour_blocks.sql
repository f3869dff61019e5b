-- The daily rollup moves into the hour-block row of the same series and local day: rollup_hours gains the day's totals
-- (sum, n, nflag, nest: the sum of the block's hours, written with it) and rollup_day becomes a view over it, so an
-- ingest batch writes one rollup row per series-day instead of two, and a day's total can no longer drift from its hours.
ALTER TABLE rollup_hours ADD COLUMN sum REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_hours ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_hours ADD COLUMN nflag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_hours ADD COLUMN nest INTEGER NOT NULL DEFAULT 0;
UPDATE rollup_hours SET sum = d.sum, n = d.n, nflag = d.nflag, nest = d.nest
  FROM rollup_day d WHERE d.series_id = rollup_hours.series_id AND d.bucket = rollup_hours.day;
-- A daily row without hours (not written by ZeroPark, kept all the same): an empty block with the day's totals.
INSERT INTO rollup_hours (series_id, day, data, sum, n, nflag, nest)
  SELECT d.series_id, d.bucket, X'', d.sum, d.n, d.nflag, d.nest FROM rollup_day d
  WHERE NOT EXISTS (SELECT 1 FROM rollup_hours h WHERE h.series_id = d.series_id AND h.day = d.bucket);
DROP TABLE rollup_day;
CREATE VIEW rollup_day AS SELECT series_id, day AS bucket, sum, n, nflag, nest FROM rollup_hours;

-- The daily rollup moves into the hour-block row of the same series and local day: rollup_hours gains the day's totals
-- (sum, n, nflag, nest: the sum of the block's hours, written with it) and rollup_day becomes a view over it. Every
-- ingest batch wrote one indexed rollup_day row per series-day beside its rollup_hours row (about 2,300 of the 11,000
-- indexed rows a day-batch of the 2,000-meter demo park writes); now it writes none, and a day's total can no longer
-- drift from its hours. The key index carries the totals, as migration 8 did for rollup_day, so long runs of days are
-- read from the index alone.
ALTER TABLE rollup_hours
  ADD COLUMN sum DOUBLE PRECISION NOT NULL DEFAULT 0,
  ADD COLUMN n INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN nflag INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN nest INTEGER NOT NULL DEFAULT 0;
UPDATE rollup_hours h SET sum = d.sum, n = d.n, nflag = d.nflag, nest = d.nest
  FROM rollup_day d WHERE d.series_id = h.series_id AND d.bucket = h.day;
-- A daily row without hours (not written by ZeroPark, kept all the same): an empty block with the day's totals.
INSERT INTO rollup_hours (series_id, day, data, sum, n, nflag, nest)
  SELECT d.series_id, d.bucket, '\x'::bytea, d.sum, d.n, d.nflag, d.nest FROM rollup_day d
  WHERE NOT EXISTS (SELECT 1 FROM rollup_hours h WHERE h.series_id = d.series_id AND h.day = d.bucket);
DROP TABLE rollup_day;
ALTER TABLE rollup_hours DROP CONSTRAINT rollup_hours_pkey, ADD PRIMARY KEY (series_id, day) INCLUDE (sum, n, nflag, nest);
CREATE VIEW rollup_day AS SELECT series_id, day AS bucket, sum, n, nflag, nest FROM rollup_hours;

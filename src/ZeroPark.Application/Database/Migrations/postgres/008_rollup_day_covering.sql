-- Daily rollups are read by series over long ranges: a year of days for a node that is summed from its meters' rows (the
-- power system: virtual loss meters over UPS inputs and outputs, 48 series). Rows are appended a day at a time, so one
-- series' days lie on as many heap pages as there are days (about 3,000 pages for those 17,520 rows). Carrying the values
-- in the primary key's index lets PostgreSQL answer from the index alone (an index-only scan), each series' days side by
-- side: 16.7 ms → 4.7 ms for that read on the full demo year.
ALTER TABLE rollup_day DROP CONSTRAINT rollup_day_pkey, ADD PRIMARY KEY (series_id, bucket) INCLUDE (sum, n, nflag, nest);

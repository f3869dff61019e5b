-- ZeroPark schema v1 (SQLite). Instants are Unix seconds (INTEGER): SQLite cannot compare DateTimeOffset.
CREATE TABLE parks (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  climate_zone TEXT NOT NULL,
  grid_region TEXT,
  province TEXT,
  commissioning_date TEXT,
  design_it_kw REAL,
  racks_total INTEGER,
  racks_in_use INTEGER,
  -- bumped by every registry change, so every process reloads its cached registry
  registry_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE spaces (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  parent_id INTEGER REFERENCES spaces(id),
  level INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (park_id, code)
);
CREATE TABLE meters (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  carrier TEXT NOT NULL,
  kind TEXT NOT NULL,
  unit TEXT NOT NULL,
  register_max REAL,
  multiplier REAL NOT NULL,
  interval_s INTEGER NOT NULL,
  max_rate REAL,
  space_id INTEGER REFERENCES spaces(id),
  system_code TEXT,
  device TEXT,
  role TEXT NOT NULL,
  formula TEXT,
  UNIQUE (park_id, code)
);
-- Pre-aggregated series (park or building × system or role × carrier). Their rollups use series_id = -id.
CREATE TABLE aggregates (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  agg_key TEXT NOT NULL,
  space_id INTEGER,
  system_code TEXT,
  role TEXT,
  carrier TEXT NOT NULL,
  meter_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (park_id, agg_key)
);
-- Readings are stored compactly: one row per meter and park-local day (the day containing ts − 1 s), the readings
-- of that day encoded in `data` (see ReadingChunk: varint instant deltas, flags, raw value, delta, old final).
CREATE TABLE readings (
  meter_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  n INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (meter_id, day)
);
CREATE TABLE meter_state (
  meter_id INTEGER PRIMARY KEY,
  last_ts INTEGER NOT NULL,
  last_value REAL NOT NULL,
  last_flags INTEGER NOT NULL,
  base_ts INTEGER,
  base_value REAL,
  base_flags INTEGER
);
CREATE TABLE rollup_hour (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL, nflag INTEGER NOT NULL, nest INTEGER NOT NULL, PRIMARY KEY (series_id, bucket)) WITHOUT ROWID;
CREATE TABLE rollup_day (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL, nflag INTEGER NOT NULL, nest INTEGER NOT NULL, PRIMARY KEY (series_id, bucket)) WITHOUT ROWID;
CREATE TABLE rollup_month (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL, nflag INTEGER NOT NULL, nest INTEGER NOT NULL, PRIMARY KEY (series_id, bucket)) WITHOUT ROWID;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  park_id INTEGER,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  reason TEXT,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX audit_log_park_at ON audit_log (park_id, at);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE ingest_log (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  user_name TEXT NOT NULL,
  batch_key TEXT,
  accepted INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  corrected INTEGER NOT NULL,
  rejected INTEGER NOT NULL
);

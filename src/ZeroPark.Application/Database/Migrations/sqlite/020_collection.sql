-- Collection (issue 13): MQTT subscriptions, Modbus TCP devices and their register maps, watched folders / polled URLs and
-- the outcome of each file they imported, and the health of every collection source (last reading, counts per minute,
-- errors with the last message). Secrets (MQTT passwords) are stored as given: the store is trusted like the broker config.
CREATE TABLE collect_mqtt (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  name TEXT NOT NULL,
  broker TEXT NOT NULL,
  topic TEXT NOT NULL,
  meter TEXT,
  username TEXT,
  password TEXT,
  tls INTEGER NOT NULL DEFAULT 0,
  allow_untrusted INTEGER NOT NULL DEFAULT 0,
  client_id TEXT NOT NULL,
  interval_s INTEGER NOT NULL DEFAULT 60,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (park_id, name)
);
CREATE TABLE collect_modbus_devices (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  unit_id INTEGER NOT NULL,
  interval_s INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (park_id, code)
);
CREATE TABLE collect_modbus_points (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES collect_modbus_devices(id) ON DELETE CASCADE,
  meter TEXT NOT NULL,
  register_table TEXT NOT NULL,
  address INTEGER NOT NULL,
  type TEXT NOT NULL,
  word_order TEXT NOT NULL,
  byte_order TEXT NOT NULL,
  scale DOUBLE NOT NULL,
  unit TEXT,
  UNIQUE (device_id, meter)
);
CREATE TABLE collect_folders (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  location TEXT NOT NULL,
  pattern TEXT NOT NULL,
  interval_s INTEGER NOT NULL,
  mapping TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (park_id, name)
);
CREATE TABLE collect_files (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES collect_folders(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  corrected INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  message TEXT,
  UNIQUE (folder_id, name, fingerprint)
);
CREATE TABLE collect_health (
  source TEXT PRIMARY KEY,
  park_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  interval_s INTEGER NOT NULL,
  last_reading_at INTEGER,
  readings INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE collect_minutes (
  source TEXT NOT NULL,
  minute INTEGER NOT NULL,
  readings INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  PRIMARY KEY (source, minute)
);
CREATE INDEX ingest_log_user_at ON ingest_log (park_id, user_name, at);

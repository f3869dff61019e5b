-- Reports and sealed inventories (issue 17).
-- inventory_seals: one row per finalized inventory: document is the canonical text of its inputs and results
-- (ZeroPark.Reports.SealDocument), sections the SHA-256 of each section ("name hash" lines), hash the chain hash over the
-- previous seal of the park (prev_hash; the first one chains to 64 zeros), the header and the section hashes.
CREATE TABLE inventory_seals (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  seq INTEGER NOT NULL,
  inventory_id INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  sections TEXT NOT NULL,
  document TEXT NOT NULL,
  sealed_at BIGINT NOT NULL,
  sealed_by TEXT NOT NULL,
  UNIQUE (park_id, seq),
  UNIQUE (inventory_id)
);
-- Generated reports, archived with the data versions they used (JSON) and the seal they carry.
CREATE TABLE report_archive (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  kind TEXT NOT NULL,
  lang TEXT NOT NULL,
  title TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  html TEXT NOT NULL,
  pdf BLOB,
  xlsx BLOB,
  data_versions TEXT NOT NULL,
  seal_hash TEXT,
  schedule_id INTEGER,
  elapsed_ms INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX ix_report_archive_park ON report_archive (park_id, created_at);
-- A park's adjustable report template per kind: title, logo (data URI), the sections shown (comma-separated codes).
CREATE TABLE report_templates (
  park_id INTEGER NOT NULL REFERENCES parks(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  logo TEXT NOT NULL,
  sections TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (park_id, kind)
);
-- Scheduled generation: every month (on the first working day), quarter or year; recipients are e-mail addresses.
CREATE TABLE report_schedules (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  kind TEXT NOT NULL,
  every TEXT NOT NULL,
  lang TEXT NOT NULL,
  recipients TEXT NOT NULL,
  last_period TEXT,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (park_id, kind, every, lang)
);

-- Alerts and notifications (issue 15): rules as data, alerts with their lifecycle, channels, the notification outbox, the
-- user's entries of the working-day calendar (over the shipped china-calendar.csv) and the evaluator's per-park marks.
CREATE TABLE alert_rules (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  params TEXT NOT NULL,
  severity TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  muted_until INTEGER,
  renotify_minutes INTEGER,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (park_id, code)
);
CREATE TABLE alert_defaults (
  park_id INTEGER PRIMARY KEY REFERENCES parks(id),
  installed_at INTEGER NOT NULL
);
-- One alert per rule, subject and period: the unique key makes raising idempotent.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  rule_id INTEGER NOT NULL REFERENCES alert_rules(id),
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  value REAL,
  normal REAL,
  details TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  ack_at INTEGER,
  ack_by TEXT,
  resolved_at INTEGER,
  resolved_by TEXT,
  comment TEXT,
  last_notified_at INTEGER,
  notify_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (park_id, rule_id, subject, period)
);
CREATE INDEX alerts_park_status ON alerts (park_id, status);
CREATE TABLE alert_channels (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  config TEXT NOT NULL,
  secret TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  min_severity TEXT NOT NULL,
  quiet_from INTEGER,
  quiet_to INTEGER,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (park_id, code)
);
-- The outbox: evaluation writes a row per alert event and channel; the background sender delivers, retries with back-off and
-- records the failure. Ingest never waits for a channel.
CREATE TABLE alert_outbox (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  channel_id INTEGER NOT NULL REFERENCES alert_channels(id),
  event TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX alert_outbox_due ON alert_outbox (status, next_at);
CREATE TABLE calendar_days (
  date TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE alert_marks (
  park_id INTEGER NOT NULL REFERENCES parks(id),
  mark TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (park_id, mark)
);

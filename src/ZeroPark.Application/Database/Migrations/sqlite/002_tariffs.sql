-- Time-of-use electricity tariffs (issue 3): effective-dated versions per park. A version applies from its local date
-- valid_from until the next version's valid_from. Prices are CNY/kWh per period (critical_peak, peak, flat, valley); the
-- schedule maps local hours [start_hour, end_hour) to a period, optionally only in some months (months = '7,8', NULL = all
-- months; an entry with months overrides the all-month entries for those months).
CREATE TABLE tariff_versions (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  valid_from TEXT NOT NULL,
  name TEXT,
  currency TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (park_id, valid_from)
);
CREATE TABLE tariff_prices (
  version_id INTEGER NOT NULL REFERENCES tariff_versions(id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  price REAL NOT NULL,
  PRIMARY KEY (version_id, period)
);
CREATE TABLE tariff_schedule (
  version_id INTEGER NOT NULL REFERENCES tariff_versions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start_hour INTEGER NOT NULL,
  end_hour INTEGER NOT NULL,
  period TEXT NOT NULL,
  months TEXT,
  PRIMARY KEY (version_id, seq)
);

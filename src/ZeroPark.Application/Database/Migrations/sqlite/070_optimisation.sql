-- Energy optimisation (issue 18): stored forecasts (compared with actuals later) and saving suggestions with their state.
-- A forecast is one run for a park or building, target (it_load, facility_energy, cooling_energy, pue) and horizon (day: 24 hourly
-- values; week: 7 daily values), with the model shown (ridge or seasonal_naive: the model is shown only when it beat the baseline in
-- the rolling-origin backtest stored with it). Points hold the shown value, the model's and the baseline's.
CREATE TABLE opt_forecasts (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  node TEXT NOT NULL,
  target TEXT NOT NULL,
  horizon TEXT NOT NULL,
  origin BIGINT NOT NULL,
  unit TEXT NOT NULL,
  shown TEXT NOT NULL,
  backtest_mape REAL,
  baseline_mape REAL,
  backtest_points INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX opt_forecasts_park ON opt_forecasts (park_id, node, target, horizon, origin);
CREATE TABLE opt_forecast_points (
  forecast_id BIGINT NOT NULL REFERENCES opt_forecasts(id),
  bucket_start BIGINT NOT NULL,
  bucket_end BIGINT NOT NULL,
  value REAL,
  model REAL,
  baseline REAL,
  PRIMARY KEY (forecast_id, bucket_start)
);
-- Suggestions: one row per park, kind and subject (a node or meter code), refreshed by each analysis; status open | accepted |
-- rejected | snoozed (until a local date); savings annualised (kWh, tCO2e at the location-based grid factor, CNY at the tariff).
CREATE TABLE opt_suggestions (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  evidence TEXT NOT NULL,
  figures TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_to TEXT NOT NULL,
  saving_kwh REAL NOT NULL,
  saving_tco2e REAL,
  saving_cny REAL,
  reason TEXT,
  snoozed_until TEXT,
  measure TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (park_id, kind, subject)
);

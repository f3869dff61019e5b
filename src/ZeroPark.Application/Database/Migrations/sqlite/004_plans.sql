-- Energy plans and quotas, and master/sub-meter balance groups (issue 3). Plans: annual (month = 0) and monthly (month = 1..12) plans per park (space_id NULL) and
-- building, for electricity (kWh), water (m³) and natural gas (m³); amounts are in the carrier's canonical unit. A plan is
-- set (inserted or replaced) through ZeroParkStore.SetEnergyPlansAsync, which writes the audit log (who, when, old → new).
-- Number 004: 003 is reserved for the carbon change, 005 for the web change.
CREATE TABLE energy_plans (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  space_id INTEGER REFERENCES spaces(id),
  carrier TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  amount REAL NOT NULL,
  basis TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX energy_plans_key ON energy_plans (park_id, COALESCE(space_id, 0), carrier, year, month);
-- Master/sub-meter balance groups (data quality): master and sub are linear formulas of meter codes, as for virtual meters
-- ("b1_in1 + b1_in2" against "b1_tx1 + b1_tx2"); a bucket is flagged when |master − sub| exceeds tolerance_pct % of the master.
CREATE TABLE balance_groups (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  name TEXT,
  master TEXT NOT NULL,
  sub TEXT NOT NULL,
  tolerance_pct REAL NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (park_id, code)
);

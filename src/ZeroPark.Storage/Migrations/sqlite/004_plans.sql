-- Energy plans and quotas (issue 3): annual (month = 0) and monthly (month = 1..12) plans per park (space_id NULL) and
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

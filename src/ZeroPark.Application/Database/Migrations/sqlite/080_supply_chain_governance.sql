-- Supply chain and green governance (issue 19, t19). Numbers 080–089 are this module's.
-- The supplier of an activity record (scope 3): supplier-level factors and product footprints of that supplier apply to it.
ALTER TABLE carbon_activities ADD COLUMN supplier TEXT;

-- Product carbon footprints (产品碳足迹库) of what a park buys: one row per product × supplier × validity start; a re-import of
-- the same key updates it (the old value stays in the audit log). kgco2e_per_unit is per one functional unit in `unit`
-- (normalised: "1000 kg" is stored as unit t with its value scaled); stages and model are JSON.
CREATE TABLE supply_footprints (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  product TEXT NOT NULL,
  supplier TEXT NOT NULL,
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  kgco2e_per_unit REAL NOT NULL,
  boundary TEXT NOT NULL,
  stages TEXT NOT NULL,
  data_source TEXT NOT NULL,
  verification TEXT NOT NULL,
  verifier TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  review_on TEXT,
  model TEXT NOT NULL,
  origin TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at BIGINT,
  updated_by TEXT,
  UNIQUE (park_id, product, supplier, valid_from)
);

-- Suppliers, the park's indicator system, answers and grade history (绿色等级评价库). The form token is stored as its SHA-256 only.
CREATE TABLE supply_suppliers (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  name TEXT NOT NULL,
  contact TEXT NOT NULL,
  token_hash TEXT,
  token_created_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (park_id, name)
);
CREATE UNIQUE INDEX supply_suppliers_token ON supply_suppliers (token_hash);

CREATE TABLE supply_indicators (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  weight REAL NOT NULL,
  best REAL NOT NULL,
  worst REAL NOT NULL,
  unit TEXT NOT NULL,
  position INTEGER NOT NULL,
  UNIQUE (park_id, code)
);

CREATE TABLE supply_answers (
  id INTEGER PRIMARY KEY,
  supplier_id BIGINT NOT NULL REFERENCES supply_suppliers(id),
  indicator TEXT NOT NULL,
  value REAL NOT NULL,
  via TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (supplier_id, indicator)
);

CREATE TABLE supply_grades (
  id INTEGER PRIMARY KEY,
  supplier_id BIGINT NOT NULL REFERENCES supply_suppliers(id),
  score REAL NOT NULL,
  grade TEXT NOT NULL,
  detail TEXT NOT NULL,
  reason TEXT NOT NULL,
  computed_at BIGINT NOT NULL
);
CREATE INDEX supply_grades_supplier ON supply_grades (supplier_id, id);

-- Park settings of both modules (grade thresholds, reward thresholds), key → text.
CREATE TABLE supply_settings (
  park_id BIGINT NOT NULL REFERENCES parks(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (park_id, key)
);

-- Green governance: low-carbon activities (their own activity data as JSON lines), the organisation, people and personal actions.
CREATE TABLE gov_events (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  participants INTEGER NOT NULL,
  activity TEXT NOT NULL,
  neutralisation TEXT NOT NULL,
  instrument_refs TEXT NOT NULL,
  neutralised_t REAL NOT NULL,
  social_benefit TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX gov_events_date ON gov_events (park_id, date);

CREATE TABLE gov_units (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  parent TEXT,
  UNIQUE (park_id, code)
);

CREATE TABLE gov_people (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT,
  role TEXT NOT NULL,
  responsibilities TEXT NOT NULL,
  kpis TEXT NOT NULL,
  token_hash TEXT,
  UNIQUE (park_id, code)
);
CREATE UNIQUE INDEX gov_people_token ON gov_people (token_hash);

-- One report of a kind per person and day (the abuse limit is the key).
CREATE TABLE gov_actions (
  id INTEGER PRIMARY KEY,
  park_id BIGINT NOT NULL REFERENCES parks(id),
  person TEXT NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  quantity REAL NOT NULL,
  kg_avoided REAL NOT NULL,
  points INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (park_id, person, date, kind)
);

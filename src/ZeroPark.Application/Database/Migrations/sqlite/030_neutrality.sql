-- Carbon neutrality (issue 14): the instruments ledger (one notion of instrument: GECs, green power trades and supplier rates
-- feed market-based scope 2 from here; CCER/CER, sinks, CCUS, vouchers, allowances and rooftop PV records join them), claims
-- (allocated → retired), evidence files, price lists, hourly profiles of green power trades, targets and reduction measures.
-- The contractual instruments of migration 003 move into the ledger as retired claims over their coverage period.
CREATE TABLE ledger_instruments (
    id INTEGER PRIMARY KEY,
    park_id INTEGER NOT NULL REFERENCES parks(id),
    kind TEXT NOT NULL,
    quantity REAL NOT NULL,
    serial_from TEXT NOT NULL,
    serial_to TEXT NOT NULL,
    serial_prefix TEXT NOT NULL,
    bundled_from TEXT NOT NULL,
    bundled_to TEXT NOT NULL,
    bundled_prefix TEXT NOT NULL,
    vintage INTEGER,
    production_from TEXT,
    production_to TEXT,
    project TEXT NOT NULL,
    energy_type TEXT NOT NULL,
    methodology TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    tradable INTEGER,
    expires TEXT,
    region TEXT NOT NULL,
    factor_kg_per_kwh REAL NOT NULL,
    profile TEXT NOT NULL,
    unit_price_cny REAL,
    purchased_on TEXT,
    reference TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_ledger_instruments_park ON ledger_instruments (park_id, kind);
CREATE INDEX ix_ledger_instruments_serial ON ledger_instruments (serial_prefix);
CREATE INDEX ix_ledger_instruments_bundled ON ledger_instruments (bundled_prefix);

CREATE TABLE ledger_claims (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES ledger_instruments(id),
    park_id INTEGER NOT NULL REFERENCES parks(id),
    target TEXT NOT NULL,
    claim_from TEXT NOT NULL,
    claim_to TEXT NOT NULL,
    quantity REAL NOT NULL,
    state TEXT NOT NULL,
    use TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    retired_at BIGINT,
    retired_by TEXT
);
CREATE INDEX ix_ledger_claims_instrument ON ledger_claims (instrument_id);
CREATE INDEX ix_ledger_claims_park ON ledger_claims (park_id, claim_from);

CREATE TABLE ledger_evidence (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES ledger_instruments(id),
    park_id INTEGER NOT NULL REFERENCES parks(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX ix_ledger_evidence_instrument ON ledger_evidence (instrument_id);

CREATE TABLE ledger_prices (
    id INTEGER PRIMARY KEY,
    park_id INTEGER NOT NULL REFERENCES parks(id),
    kind TEXT NOT NULL,
    price_date TEXT NOT NULL,
    unit_price_cny REAL NOT NULL,
    available REAL,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (park_id, kind, price_date, source)
);

CREATE TABLE ledger_profiles (
    instrument_id INTEGER NOT NULL REFERENCES ledger_instruments(id),
    hour_start BIGINT NOT NULL,
    kwh REAL NOT NULL,
    PRIMARY KEY (instrument_id, hour_start)
);

CREATE TABLE neutrality_targets (
    id INTEGER PRIMARY KEY,
    park_id INTEGER NOT NULL REFERENCES parks(id),
    kind TEXT NOT NULL,
    every TEXT NOT NULL,
    value REAL NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (park_id, kind, every, valid_from)
);

CREATE TABLE reduction_measures (
    id INTEGER PRIMARY KEY,
    park_id INTEGER NOT NULL REFERENCES parks(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    boundary TEXT NOT NULL,
    baseline_from TEXT NOT NULL,
    baseline_to TEXT NOT NULL,
    start_date TEXT NOT NULL,
    price_cny_per_kwh REAL,
    use_temperature INTEGER NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT,
    updated_by TEXT,
    UNIQUE (park_id, code)
);

INSERT INTO ledger_instruments (id, park_id, kind, quantity, serial_from, serial_to, serial_prefix, bundled_from, bundled_to, bundled_prefix, project, energy_type,
    methodology, counterparty, region, factor_kg_per_kwh, profile, reference, note, created_at, created_by)
SELECT id, park_id, kind, quantity_kwh / 1000.0, '', '', '', '', '', '', '', '', '', '', region, factor_kg_per_kwh, 'flat', reference, note, created_at, created_by
FROM carbon_instruments;
INSERT INTO ledger_claims (instrument_id, park_id, target, claim_from, claim_to, quantity, state, use, created_at, created_by, retired_at, retired_by)
SELECT i.id, i.park_id, p.code, i.cover_from, i.cover_to, i.quantity_kwh / 1000.0, 'retired',
       CASE WHEN i.kind = 'supplier_rate' THEN 'scope2' ELSE 'scope2_offset' END, i.created_at, i.created_by, i.created_at, i.created_by
FROM carbon_instruments i JOIN parks p ON p.id = i.park_id;
DROP TABLE carbon_instruments;

-- Carbon accounting (issue 4): versioned factor library, activity records, contractual instruments,
-- inventory versions (restatements keep every version), per-park carbon settings.
CREATE TABLE carbon_factors (
    id BIGSERIAL PRIMARY KEY,
    dataset TEXT NOT NULL,
    kind TEXT NOT NULL,
    material TEXT NOT NULL,
    gas TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    level TEXT NOT NULL,
    region TEXT NOT NULL,
    application TEXT NOT NULL,
    methods TEXT NOT NULL,
    publisher TEXT NOT NULL,
    document TEXT NOT NULL,
    data_year INTEGER,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    carbon_content DOUBLE PRECISION,
    oxidation_rate DOUBLE PRECISION,
    note TEXT NOT NULL,
    version INTEGER NOT NULL,
    builtin INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (dataset, kind, material, gas, level, region, application, valid_from, version)
);

CREATE TABLE carbon_activities (
    id BIGSERIAL PRIMARY KEY,
    park_id BIGINT NOT NULL REFERENCES parks(id),
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    material TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    scope3_category INTEGER,
    note TEXT NOT NULL,
    evidence TEXT NOT NULL,
    space_code TEXT,
    density DOUBLE PRECISION,
    ncv DOUBLE PRECISION,
    natural_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT,
    updated_by TEXT,
    UNIQUE (park_id, natural_key)
);
CREATE INDEX ix_carbon_activities_date ON carbon_activities (park_id, date);

CREATE TABLE carbon_instruments (
    id BIGSERIAL PRIMARY KEY,
    park_id BIGINT NOT NULL REFERENCES parks(id),
    kind TEXT NOT NULL,
    quantity_kwh DOUBLE PRECISION NOT NULL,
    factor_kg_per_kwh DOUBLE PRECISION NOT NULL,
    cover_from TEXT NOT NULL,
    cover_to TEXT NOT NULL,
    region TEXT NOT NULL,
    reference TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (park_id, kind, reference)
);

CREATE TABLE carbon_inventories (
    id BIGSERIAL PRIMARY KEY,
    park_id BIGINT NOT NULL REFERENCES parks(id),
    boundary TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    method TEXT NOT NULL,
    gwp TEXT NOT NULL,
    options TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    scope1_t DOUBLE PRECISION NOT NULL,
    scope2_location_t DOUBLE PRECISION NOT NULL,
    scope2_market_t DOUBLE PRECISION NOT NULL,
    scope3_t DOUBLE PRECISION NOT NULL,
    memo_t DOUBLE PRECISION NOT NULL,
    result TEXT NOT NULL,
    diff TEXT,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    finalized_at BIGINT,
    finalized_by TEXT,
    UNIQUE (park_id, boundary, period_from, period_to, method, gwp, options, version)
);

CREATE TABLE carbon_settings (
    park_id BIGINT NOT NULL REFERENCES parks(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (park_id, key)
);

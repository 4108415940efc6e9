-- Jambi Supply Watch warehouse schema. Idempotent: safe to run on every start.
-- Sections are grouped by the layer that writes them.

-- ---------------------------------------------------------------- reference data
CREATE TABLE IF NOT EXISTS regions (
    bps_code        VARCHAR PRIMARY KEY,
    kemendagri_code VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,          -- kabupaten | kota
    seat            VARCHAR,
    lat             DOUBLE,
    lon             DOUBLE
);

CREATE TABLE IF NOT EXISTS region_aliases (
    alias    VARCHAR PRIMARY KEY,               -- normalised: upper case, punctuation removed
    bps_code VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS commodities (
    code        VARCHAR PRIMARY KEY,
    name_id     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,               -- rice | fuel | lpg | other
    price_unit  VARCHAR NOT NULL,
    stock_unit  VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS reference_prices (
    commodity   VARCHAR NOT NULL,
    scope       VARCHAR NOT NULL,               -- province | regency
    region_code VARCHAR,                        -- NULL for province scope
    kind        VARCHAR NOT NULL,               -- HET | HAP | harga_subsidi | harga_jual
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    valid_from  DATE NOT NULL,
    valid_to    DATE,                           -- NULL = still in force
    source      VARCHAR NOT NULL,
    note        VARCHAR
);

CREATE TABLE IF NOT EXISTS thresholds (
    commodity          VARCHAR PRIMARY KEY,
    waspada_cover_days DOUBLE NOT NULL,
    siaga_cover_days   DOUBLE NOT NULL,
    awas_cover_days    DOUBLE NOT NULL,
    waspada_price_pct  DOUBLE NOT NULL,
    siaga_price_pct    DOUBLE NOT NULL,
    awas_price_pct     DOUBLE NOT NULL,
    source             VARCHAR
);

-- ---------------------------------------------------------------- ingest
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id        VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,             -- success | failed | dry_run
    rows_read     BIGINT DEFAULT 0,
    rows_loaded   BIGINT DEFAULT 0,
    rows_rejected BIGINT DEFAULT 0,
    message       VARCHAR
);

-- One row per (date, region, commodity, metric, source). metric: price | stock | distribution | delivery
CREATE TABLE IF NOT EXISTS facts (
    date        DATE NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,
    PRIMARY KEY (date, region_code, commodity, metric, source)
);

CREATE TABLE IF NOT EXISTS fact_revisions (
    date        DATE NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    old_value   DOUBLE,
    new_value   DOUBLE,
    old_run_id  VARCHAR,
    new_run_id  VARCHAR NOT NULL,
    revised_at  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS rejected_rows (
    run_id     VARCHAR NOT NULL,
    row_number BIGINT,
    raw        VARCHAR,
    reason     VARCHAR NOT NULL
);

-- Ground truth of the demo warehouse: planted incidents, used to score alerts.
CREATE TABLE IF NOT EXISTS incidents (
    incident_id VARCHAR PRIMARY KEY,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    cause_date  DATE,                           -- when the cause began (e.g. road cut), if earlier
    start_date  DATE NOT NULL,                  -- when the shortage / price breach begins
    end_date    DATE NOT NULL,
    description VARCHAR
);

-- ---------------------------------------------------------------- forecasting (vintage-true: rows per run)
CREATE TABLE IF NOT EXISTS forecast_runs (
    run_id       VARCHAR PRIMARY KEY,
    created_at   TIMESTAMP NOT NULL,
    data_as_of   DATE,
    status       VARCHAR NOT NULL,              -- success | failed
    n_series     INTEGER,
    n_fallback   INTEGER,
    seconds      DOUBLE,
    message      VARCHAR
);

CREATE TABLE IF NOT EXISTS forecasts (
    run_id      VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    date        DATE NOT NULL,
    horizon     INTEGER NOT NULL,
    mean        DOUBLE,
    lo80        DOUBLE,
    hi80        DOUBLE,
    lo95        DOUBLE,
    hi95        DOUBLE,
    model       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS forecast_series (
    run_id      VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    model       VARCHAR NOT NULL,
    n_obs       INTEGER,
    fallback_reason VARCHAR,
    warnings    VARCHAR
);

-- level: 0 Aman, 1 Waspada, 2 Siaga, 3 Awas
CREATE TABLE IF NOT EXISTS statuses (
    run_id          VARCHAR NOT NULL,
    as_of           DATE NOT NULL,
    region_code     VARCHAR NOT NULL,
    commodity       VARCHAR NOT NULL,
    level           INTEGER NOT NULL,
    rule            VARCHAR NOT NULL,           -- price_vs_reference | days_of_cover | none
    reason_id       VARCHAR NOT NULL,
    reason_en       VARCHAR NOT NULL,
    price           DOUBLE,
    reference_price DOUBLE,
    disparity_pct   DOUBLE,
    stock           DOUBLE,
    avg_distribution DOUBLE,
    cover_window_days INTEGER,
    days_cover      DOUBLE,
    stockout_date   DATE
);

-- ---------------------------------------------------------------- views
-- One value per (date, region, commodity, metric): officer reports win, then the official
-- panels, then market scrapes, then the demo generator.
CREATE OR REPLACE VIEW daily_values AS
SELECT date, region_code, commodity, metric, value, unit, source, run_id
FROM (
    SELECT f.*,
           row_number() OVER (
               PARTITION BY date, region_code, commodity, metric
               ORDER BY CASE source
                   WHEN 'officer' THEN 0 WHEN 'sp2kp' THEN 1 WHEN 'bapanas' THEN 2
                   WHEN 'pihps' THEN 3 WHEN 'pertamina' THEN 4 WHEN 'wfp' THEN 5 ELSE 9 END
           ) AS source_rank
    FROM facts f
)
WHERE source_rank = 1;

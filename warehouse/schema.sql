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
-- group_code: rice | fuel | lpg | sugar | cooking_oil, so a user sees e.g. "rice" across PIHPS
-- grades and HET classes; compare_to: the HET class a source grade is compared against where
-- that comparison is defensible (docs/dashboard.md), else NULL.
ALTER TABLE commodities ADD COLUMN IF NOT EXISTS group_code VARCHAR;
ALTER TABLE commodities ADD COLUMN IF NOT EXISTS compare_to VARCHAR;

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
    status        VARCHAR NOT NULL,             -- success | failed | no_data | dry_run
    rows_read     BIGINT DEFAULT 0,
    rows_loaded   BIGINT DEFAULT 0,
    rows_rejected BIGINT DEFAULT 0,
    message       VARCHAR
);

-- One row per (date, region, commodity, metric, source). metric: price | stock | distribution | delivery
-- No PRIMARY KEY: its index was 15x the table (312 of 332 MB for 2.3 M facts) and every
-- write copies this file. The key stays unique because facts are only written by
-- ingest.loader.upsert_facts (one join against the stored rows; duplicate incoming keys are
-- refused) and ingest.bulk (duplicate-checked, fresh keys only).
CREATE TABLE IF NOT EXISTS facts (
    date        DATE NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL
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

-- level: -1 Belum dinilai (no rule had its input), 0 Aman, 1 Waspada, 2 Siaga, 3 Awas
CREATE TABLE IF NOT EXISTS statuses (
    run_id          VARCHAR NOT NULL,
    as_of           DATE NOT NULL,
    region_code     VARCHAR NOT NULL,
    commodity       VARCHAR NOT NULL,
    level           INTEGER NOT NULL,
    rule            VARCHAR NOT NULL,           -- price_vs_reference | days_of_cover | none | not_assessed
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

-- ---------------------------------------------------------------- forecasting extras
-- Written by forecasting/ (one write transaction per run) and warehouse/alerts.py.
ALTER TABLE statuses ADD COLUMN IF NOT EXISTS projected_cover DOUBLE;   -- lowest projected days of cover, next 14 days
ALTER TABLE forecast_runs ADD COLUMN IF NOT EXISTS n_alerts INTEGER;

-- Rolling-origin backtest errors per run, series and candidate model; horizon NULL = all horizons.
CREATE TABLE IF NOT EXISTS backtest_results (
    run_id      VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    commodity   VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    model       VARCHAR NOT NULL,
    horizon     INTEGER,
    mase        DOUBLE,
    mape        DOUBLE,
    coverage80  DOUBLE,
    coverage95  DOUBLE,
    n           INTEGER,
    chosen      BOOLEAN NOT NULL
);

-- Signals as computed in each run (vintage-true: a later run never rewrites them).
CREATE TABLE IF NOT EXISTS signals (
    run_id         VARCHAR NOT NULL,
    as_of          DATE NOT NULL,
    region_code    VARCHAR NOT NULL,
    commodity      VARCHAR NOT NULL,
    signal         VARCHAR NOT NULL,     -- price_vs_reference | alps | ipa | wow_change | mom_change | price_trend | days_of_cover | stockout | resupply_trend
    period         DATE,                 -- the period the value describes (month for ALPS/IPA)
    value          DOUBLE,
    level          INTEGER NOT NULL,     -- 0..3 on the status scale
    label          VARCHAR,              -- e.g. Normal | Stress | Alert | Crisis
    explanation_id VARCHAR NOT NULL,
    explanation_en VARCHAR NOT NULL
);

-- Historical replays (runs as of past dates, data up to each date only) used to score alerts.
CREATE TABLE IF NOT EXISTS replays (
    replay_id   VARCHAR PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    date_from   DATE NOT NULL,
    date_to     DATE NOT NULL,
    step_days   INTEGER NOT NULL,
    n_dates     INTEGER NOT NULL,
    method      VARCHAR NOT NULL
);

-- One alert per region × commodity × kind episode (dedup within a cooldown). The row is the
-- first firing as computed then; later firings, escalations and the lifecycle are events.
CREATE TABLE IF NOT EXISTS alerts (
    alert_id     VARCHAR PRIMARY KEY,
    origin       VARCHAR NOT NULL,       -- live | replay
    origin_id    VARCHAR NOT NULL,       -- forecast run_id or replay_id that raised it
    region_code  VARCHAR NOT NULL,
    commodity    VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,       -- stock | price
    first_as_of  DATE NOT NULL,
    level        INTEGER NOT NULL,       -- level when raised
    rule         VARCHAR NOT NULL,
    reason_id    VARCHAR NOT NULL,
    reason_en    VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

-- event: raised | repeated | escalated | acknowledged | action | closed
CREATE TABLE IF NOT EXISTS alert_events (
    alert_id    VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,
    event       VARCHAR NOT NULL,
    as_of       DATE,                    -- data date of the run that fired (firing events)
    run_id      VARCHAR,
    level       INTEGER,
    reason_id   VARCHAR,
    reason_en   VARCHAR,
    user_name   VARCHAR,
    note        VARCHAR,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_id, seq)
);

CREATE TABLE IF NOT EXISTS scenarios (
    scenario_id  VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   VARCHAR,
    base_run_id  VARCHAR NOT NULL,
    params_json  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS scenario_results (
    scenario_id       VARCHAR NOT NULL,
    region_code       VARCHAR NOT NULL,
    commodity         VARCHAR NOT NULL,
    variant           VARCHAR NOT NULL,  -- baseline | scenario
    stock_end         DOUBLE,
    min_days_cover    DOUBLE,
    stockout_date     DATE,
    unmet_demand      DOUBLE,
    price_lo80        DOUBLE,
    price_hi80        DOUBLE,
    reference_price   DOUBLE,
    path_json         VARCHAR             -- daily projected stock [[date, stock], ...]
);

-- ---------------------------------------------------------------- ingest: source id crosswalk
-- Ids that a source uses for regions and commodities, resolved at run time (e.g. Bapanas
-- province/city ids, SP2KP variant ids) and kept so every fact can be traced back.
CREATE TABLE IF NOT EXISTS source_ids (
    source      VARCHAR NOT NULL,               -- bapanas | pihps | sp2kp | fuel | wfp
    kind        VARCHAR NOT NULL,               -- province | region | commodity
    source_id   VARCHAR NOT NULL,
    source_name VARCHAR,
    code        VARCHAR,                        -- BPS region code or commodity code
    run_id      VARCHAR NOT NULL,               -- run that last confirmed the mapping
    resolved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, kind, source_id)
);

-- ---------------------------------------------------------------- dashboard audit
-- Written by the dashboard through warehouse/audit.py: every write an officer makes from the
-- dashboard (alert steps, uploads loaded, scenarios saved) with who, when and what.
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,      -- e.g. alert_acknowledged | alert_action | alert_closed | upload_loaded | scenario_saved
    target    VARCHAR,               -- alert id, ingest run id, scenario name
    detail    VARCHAR                -- the officer's note or a short summary
);

-- ---------------------------------------------------------------- data sanity guard
-- Written by ingest/sanity.py (inside the loader's transaction) and `python -m ingest confirm`.
-- A new value wildly out of line with its series' recent history (a unit or decimal slip) is
-- held here instead of entering facts; an officer confirms it (it then loads) or discards it.
CREATE TABLE IF NOT EXISTS held_values (
    hold_id       VARCHAR PRIMARY KEY,      -- <run_id>:<n>
    run_id        VARCHAR NOT NULL,         -- the ingest run that delivered the value
    date          DATE NOT NULL,
    region_code   VARCHAR NOT NULL,
    commodity     VARCHAR NOT NULL,
    metric        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    typical_value DOUBLE NOT NULL,          -- median of the series over the look-back window
    ratio         DOUBLE NOT NULL,          -- value / typical_value
    status        VARCHAR NOT NULL,         -- held | confirmed | discarded
    held_at       TIMESTAMP NOT NULL,
    decided_by    VARCHAR,
    decided_at    TIMESTAMP,
    decision_run_id VARCHAR                 -- the confirm run that loaded it
);

-- ---------------------------------------------------------------- alert skill
-- Written by `python -m forecasting score`: one row per scoring of a replay against ground
-- truth (the incidents table or a province's incidents file). `result` is the score JSON.
CREATE TABLE IF NOT EXISTS skill_scores (
    score_id         VARCHAR PRIMARY KEY,
    created_at       TIMESTAMP NOT NULL,
    replay_id        VARCHAR NOT NULL,
    date_from        DATE NOT NULL,
    date_to          DATE NOT NULL,
    incidents_source VARCHAR NOT NULL,      -- "incidents table" or the file name
    result           VARCHAR NOT NULL       -- JSON
);

-- ---------------------------------------------------------------- as-of data (early-warning engine)
-- When each value became known: facts.known_at = when the current value was first seen (its
-- load, or the revision that set it); fact_revisions.old_known_at = when the replaced value
-- had been seen. The replay reads, on each past date, the versions known then
-- (forecasting.data.load_vintages). Existing warehouses: a one-time migration fills known_at
-- from the loading run's start time; values loaded without a run stay NULL (read as known on
-- their own date).
ALTER TABLE facts ADD COLUMN IF NOT EXISTS known_at TIMESTAMP;
ALTER TABLE fact_revisions ADD COLUMN IF NOT EXISTS old_known_at TIMESTAMP;
-- (the one-time fill of known_at runs in warehouse/db.ensure_schema, only when the column is new)

-- Stock-out probability with each status: P(days of cover < Siaga within 7/14/21 days).
ALTER TABLE statuses ADD COLUMN IF NOT EXISTS p_stockout_7 DOUBLE;
ALTER TABLE statuses ADD COLUMN IF NOT EXISTS p_stockout_14 DOUBLE;
ALTER TABLE statuses ADD COLUMN IF NOT EXISTS p_stockout_21 DOUBLE;

-- Reliability of the stock-out probabilities, from a daily replay: per horizon and
-- probability bin, the mean prediction and the share of cases whose cover did fall below
-- Siaga within the horizon (final data).
CREATE TABLE IF NOT EXISTS stockout_calibration (
    replay_id      VARCHAR NOT NULL,
    horizon_days   INTEGER NOT NULL,
    bin_low        DOUBLE NOT NULL,
    bin_high       DOUBLE NOT NULL,
    n              INTEGER NOT NULL,
    mean_predicted DOUBLE NOT NULL,
    observed       DOUBLE NOT NULL
);

-- The chosen model's parameters and the data date they were estimated on: daily runs
-- re-filter them (forecasting/series.py), each series is re-estimated at least weekly.
ALTER TABLE forecast_series ADD COLUMN IF NOT EXISTS params DOUBLE[];
ALTER TABLE forecast_series ADD COLUMN IF NOT EXISTS fitted_on DATE;

// SQLite schema of the atlas database: flat tables, geometry as GeoJSON text per zoom band, and
// R*Tree indexes on bounding boxes (ids are the owning table's integer row ids).

/** Bump when the schema or the builder's output changes: a database of another version is rebuilt. */
export const BUILDER_VERSION = 5;


export const SCHEMA_SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE admin_unit (
  id          INTEGER PRIMARY KEY,  -- R*Tree id
  code        TEXT NOT NULL UNIQUE, -- NBS code without trailing zeros: 2/4/6/9/12 digits
  name        TEXT NOT NULL,
  level       TEXT NOT NULL,        -- province | city | county | street | community
  parent_code TEXT,
  population  INTEGER,              -- residents (2020 census, rolled up); NULL where unknown
  urban_share REAL,                 -- 0..1; NULL where unknown
  child_count INTEGER NOT NULL,
  label_lng   REAL,                 -- pole of inaccessibility, WGS84; NULL without geometry
  label_lat   REAL
);

CREATE TABLE admin_geometry (
  unit_id INTEGER NOT NULL REFERENCES admin_unit (id),
  band    INTEGER NOT NULL,         -- zoom band, 0 = coarsest
  geojson TEXT NOT NULL,            -- MultiPolygon, WGS84, 6 decimals
  PRIMARY KEY (unit_id, band)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE admin_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);

CREATE TABLE boundary_line (
  id            INTEGER PRIMARY KEY, -- R*Tree id
  line_id       TEXT NOT NULL UNIQUE,
  level         TEXT NOT NULL,       -- province (outer edge) | city | county | street
  left_code     TEXT NOT NULL,       -- unit on the left of the drawn direction
  right_code    TEXT,                -- NULL on the province's outer edge
  length_meters REAL NOT NULL,
  agreement_signed  INTEGER,         -- 0/1: safe-boundary agreement (平安边界协议) signed; NULL unknown
  joint_mediation   INTEGER,         -- 0/1: joint mediation mechanism in place; NULL unknown
  last_joint_patrol TEXT             -- yyyy-mm-dd of the last joint patrol; NULL none or unknown
);

CREATE TABLE boundary_geometry (
  line_id INTEGER NOT NULL REFERENCES boundary_line (id),
  band    INTEGER NOT NULL,
  geojson TEXT NOT NULL,             -- LineString or MultiLineString, WGS84, 6 decimals
  PRIMARY KEY (line_id, band)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE boundary_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);

-- Demonstration layers (generated; meta 'demo' = 1) ------------------------------------------------

CREATE TABLE grid (
  id                INTEGER PRIMARY KEY, -- R*Tree id
  code              TEXT NOT NULL UNIQUE, -- community code + 3 digits
  name              TEXT NOT NULL,
  community_code    TEXT NOT NULL,
  urban             INTEGER NOT NULL,     -- 1 in residents' committees (社区), 0 in villages
  population        INTEGER NOT NULL,     -- residents
  households        INTEGER NOT NULL,
  full_time_workers INTEGER NOT NULL,
  part_time_workers INTEGER NOT NULL,
  area_m2           REAL NOT NULL,
  label_lng         REAL NOT NULL,
  label_lat         REAL NOT NULL,
  geojson           TEXT NOT NULL         -- MultiPolygon, WGS84, 6 decimals, full detail
);
CREATE VIRTUAL TABLE grid_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);

CREATE TABLE demand_point (
  id         INTEGER PRIMARY KEY,
  grid_id    INTEGER NOT NULL REFERENCES grid (id),
  lng        REAL NOT NULL,
  lat        REAL NOT NULL,
  population INTEGER NOT NULL             -- residents represented (50–200)
);

CREATE TABLE facility (
  id             INTEGER PRIMARY KEY,     -- R*Tree id
  kind           TEXT NOT NULL,           -- see FACILITY_KINDS
  name           TEXT NOT NULL,
  unit_code      TEXT NOT NULL,           -- county, street or community it belongs to
  community_code TEXT NOT NULL,           -- community it sits in
  lng            REAL NOT NULL,
  lat            REAL NOT NULL,
  capacity       INTEGER NOT NULL,        -- unit per kind: CAPACITY_UNITS
  opening_hours  TEXT NOT NULL,           -- "08:30-17:00"
  standardised   INTEGER NOT NULL         -- 1 when a health facility meets the standard
);
CREATE VIRTUAL TABLE facility_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);

CREATE TABLE road_node (
  id  INTEGER PRIMARY KEY,                -- 0-based node index + 1
  lng REAL NOT NULL,
  lat REAL NOT NULL
);
CREATE TABLE road_edge (
  id            INTEGER PRIMARY KEY,      -- R*Tree id
  from_node     INTEGER NOT NULL,
  to_node       INTEGER NOT NULL,
  length_meters REAL NOT NULL,
  class         TEXT NOT NULL,            -- local | arterial | bridge | rail_crossing | path
  street_code   TEXT NOT NULL             -- street the edge lies in
);
CREATE VIRTUAL TABLE road_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);
CREATE TABLE barrier (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL,                -- river | railway
  name      TEXT NOT NULL,
  city_code TEXT NOT NULL,
  geojson   TEXT NOT NULL                 -- LineString
);

-- Disputes use small integer codes for their categories (lists in code_list, and in
-- server/analysis/disputes): compact and fast to group by.
CREATE TABLE code_list (
  list     TEXT NOT NULL,               -- dispute_type | dispute_source | dispute_severity | dispute_status |
                                        -- handling_level | dispute_outcome | step_action | actor_role
  code     INTEGER NOT NULL,
  key      TEXT NOT NULL,
  label_zh TEXT NOT NULL,
  PRIMARY KEY (list, code)
) WITHOUT ROWID;

CREATE TABLE dispute (
  id             INTEGER PRIMARY KEY,     -- case id
  type           INTEGER NOT NULL,        -- code_list dispute_type
  source         INTEGER NOT NULL,        -- code_list dispute_source
  severity       INTEGER NOT NULL,        -- code_list dispute_severity (general | major | critical)
  status         INTEGER NOT NULL,        -- code_list dispute_status
  handling_level INTEGER NOT NULL,        -- code_list handling_level (grid | community | street | county | above)
  resolved_level INTEGER,                 -- set when closed
  outcome        INTEGER,                 -- code_list dispute_outcome, set when closed
  grid_code      TEXT NOT NULL,           -- the grid (15 digits) holding the place, or the finest unit code
                                          -- where no grid exists: every admin code of the place is a prefix
  other_side_code TEXT,                   -- the street (9 digits) across the nearest street boundary line within
                                          -- 500 m that has the case's street on one side; NULL when none is
  lng            REAL NOT NULL,
  lat            REAL NOT NULL,
  summary        TEXT,                    -- short description given at report; NULL for generated cases
  reported_at    INTEGER NOT NULL,        -- ms since epoch
  assigned_at    INTEGER,
  accepted_at    INTEGER,
  handled_at     INTEGER,
  feedback_at    INTEGER,
  reviewed_at    INTEGER,
  closed_at      INTEGER,
  due_at         INTEGER NOT NULL,        -- reported_at + SLA of its severity
  parties        TEXT NOT NULL,           -- JSON [[name, phone], …] in role order 申请人, 被申请人, 第三人; fictional in demo data
  cluster_id     INTEGER,                 -- planted cluster (ground truth), NULL for background
  version        INTEGER NOT NULL DEFAULT 1,
  redacted_at    INTEGER                  -- when retention masked its personal data for good (ms), else NULL
);

CREATE TABLE dispute_step (
  seq            INTEGER PRIMARY KEY,     -- global commit order (the live stream's cursor)
  dispute_id     INTEGER NOT NULL REFERENCES dispute (id),
  step           INTEGER NOT NULL,        -- position in the case's history, 0 = report
  action         INTEGER NOT NULL,        -- code_list step_action: 0 report, then the workflow actions
  from_status    INTEGER,                 -- NULL for the report
  to_status      INTEGER NOT NULL,
  at             INTEGER NOT NULL,        -- ms since epoch
  handling_level INTEGER NOT NULL,
  actor_role     INTEGER NOT NULL,        -- code_list actor_role
  note           TEXT                     -- free text; NULL when none
);

CREATE TABLE planted_cluster (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,         -- persistent | emerging | diminishing | boundary
  center_lng       REAL NOT NULL,
  center_lat       REAL NOT NULL,
  radius_meters    REAL NOT NULL,
  start_ms         INTEGER NOT NULL,
  end_ms           INTEGER NOT NULL,
  multiplier       REAL NOT NULL,
  boundary_line_id TEXT,                  -- boundary clusters: the line they straddle
  event_count      INTEGER NOT NULL,
  details          TEXT NOT NULL          -- JSON: the full generator record
);
`;

/** Secondary indexes, created after the bulk load (faster than maintaining them row by row). */
export const INDEX_SQL = `
CREATE INDEX admin_unit_parent ON admin_unit (parent_code, code);
CREATE INDEX admin_unit_level ON admin_unit (level, code);
CREATE INDEX boundary_line_level ON boundary_line (level, line_id);
CREATE INDEX demand_point_grid ON demand_point (grid_id);
CREATE INDEX facility_community ON facility (community_code, kind);
CREATE INDEX facility_kind ON facility (kind, community_code);
CREATE INDEX dispute_grid_time ON dispute (grid_code, reported_at);
CREATE INDEX dispute_time ON dispute (reported_at, id);
CREATE INDEX dispute_other_side ON dispute (other_side_code, reported_at, grid_code) WHERE other_side_code IS NOT NULL;
CREATE INDEX dispute_step_case ON dispute_step (dispute_id, step);
CREATE INDEX dispute_unredacted_closed ON dispute (closed_at, id) WHERE closed_at IS NOT NULL AND redacted_at IS NULL;
`;

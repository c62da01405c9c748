// SQLite schema of the atlas database: flat tables, geometry as GeoJSON text per zoom band, and
// R*Tree indexes on bounding boxes (ids are the owning table's integer row ids).

/** Bump when the schema or the builder's output changes: a database of another version is rebuilt. */
export const BUILDER_VERSION = 1;

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
CREATE INDEX admin_unit_parent ON admin_unit (parent_code, code);
CREATE INDEX admin_unit_level ON admin_unit (level, code);

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
  level         TEXT NOT NULL,       -- province (outer edge) | city | county
  left_code     TEXT NOT NULL,       -- unit on the left of the drawn direction
  right_code    TEXT,                -- NULL on the province's outer edge
  length_meters REAL NOT NULL
);
CREATE INDEX boundary_line_level ON boundary_line (level, line_id);

CREATE TABLE boundary_geometry (
  line_id INTEGER NOT NULL REFERENCES boundary_line (id),
  band    INTEGER NOT NULL,
  geojson TEXT NOT NULL,             -- LineString or MultiLineString, WGS84, 6 decimals
  PRIMARY KEY (line_id, band)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE boundary_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);
`;

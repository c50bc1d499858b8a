-- 002_places.sql: the place tree (subdistrict > community > grid > compound >
-- courtyard > building > unit > household), grid teams, and case positions.

CREATE TABLE places (
  code       TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('subdistrict','community','grid','compound',
                                           'courtyard','building','unit','household')),
  parent     TEXT NOT NULL DEFAULT '' ,
  name       TEXT NOT NULL,
  geometry   TEXT NOT NULL DEFAULT '',  -- GeoJSON geometry (WGS-84), '' if none
  minx REAL, miny REAL, maxx REAL, maxy REAL,
  area_m2    REAL NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE INDEX places_parent ON places(parent, code);
CREATE INDEX places_kind ON places(kind, code);

-- Every name a place has had: renames keep their history.
CREATE TABLE place_names (
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to   INTEGER NOT NULL DEFAULT 0,  -- 0: current
  PRIMARY KEY (code, valid_from)
);

-- A grid's team: 网格长 and the "1+5+X" roles.
CREATE TABLE grid_members (
  grid    TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  role    TEXT NOT NULL CHECK (role IN ('leader','supervisor','enforcement','community',
                                        'sanitation','police','building_head','volunteer',
                                        'property')),
  PRIMARY KEY (grid, user_id, role)
) WITHOUT ROWID;
CREATE INDEX grid_members_user ON grid_members(user_id);

-- Where a case is, for finding cases by box or radius: an R*Tree of points.
CREATE VIRTUAL TABLE case_pos USING rtree(id, minx, maxx, miny, maxy);

-- Whether a located case fell inside a grid: '' (no position or not yet
-- checked), 'in' (assigned) or 'outside' (kept, flagged for the dispatcher).
ALTER TABLE cases ADD COLUMN grid_status TEXT NOT NULL DEFAULT '';

-- 001_init.sql: the case engine's schema (SQLite).
-- Instants are INTEGER Unix seconds (UTC); days are INTEGER day numbers.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Special days of the working calendar: kind 1 = rest day, 2 = make-up working day.
CREATE TABLE calendar_days (
  day  INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
  name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE units (
  id    INTEGER PRIMARY KEY,
  code  TEXT NOT NULL UNIQUE,
  name  TEXT NOT NULL,
  kind  TEXT NOT NULL DEFAULT 'department',
  uscc  TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE categories (
  code      TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  grp       TEXT NOT NULL DEFAULT '',
  unit_code TEXT NOT NULL DEFAULT '',
  whistle   TEXT NOT NULL DEFAULT ''
);

-- Time limits per category ('*' = default) x priority x stage, as cal_span strings.
CREATE TABLE time_limits (
  category TEXT NOT NULL,
  priority TEXT NOT NULL,
  stage    TEXT NOT NULL CHECK (stage IN ('register','dispatch','sign','handle','close')),
  span     TEXT NOT NULL,
  PRIMARY KEY (category, priority, stage)
);

CREATE TABLE whistle_types (
  code      TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  limit_min INTEGER NOT NULL DEFAULT 30
);

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  username   TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL DEFAULT '',
  role       TEXT NOT NULL CHECK (role IN ('resident','grid','dispatcher','handler','leader','admin')),
  unit_id    INTEGER REFERENCES units(id),
  grid       TEXT NOT NULL DEFAULT '',
  phone      TEXT NOT NULL DEFAULT '',
  id_card    TEXT NOT NULL DEFAULT '',
  pw_hash    TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  disabled   INTEGER NOT NULL DEFAULT 0
);

-- Sessions and API keys: only a hash of the secret is kept.
CREATE TABLE creds (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('session','apikey')),
  hash       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL DEFAULT '',
  user_id    INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL DEFAULT 0,
  revoked    INTEGER NOT NULL DEFAULT 0
);

-- The current state of each case: a projection of case_events.
CREATE TABLE cases (
  id                 INTEGER PRIMARY KEY,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  channel            TEXT NOT NULL,
  nature             TEXT NOT NULL,
  category           TEXT NOT NULL,
  priority           TEXT NOT NULL,
  title              TEXT NOT NULL DEFAULT '',
  description        TEXT NOT NULL DEFAULT '',
  address            TEXT NOT NULL DEFAULT '',
  lat                REAL,
  lon                REAL,
  grid               TEXT NOT NULL DEFAULT '',
  reporter_id        INTEGER,
  reporter_name      TEXT NOT NULL DEFAULT '',
  reporter_phone     TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL,
  lead_unit          INTEGER,
  co_units           TEXT NOT NULL DEFAULT '',
  master_id          INTEGER,
  verifier_id        INTEGER,
  due_at             INTEGER,
  warn_at            INTEGER,
  close_due          INTEGER,
  paused_at          INTEGER,
  closed_at          INTEGER,
  supervise_count    INTEGER NOT NULL DEFAULT 0,
  return_count       INTEGER NOT NULL DEFAULT 0,
  rework_count       INTEGER NOT NULL DEFAULT 0,
  extension_count    INTEGER NOT NULL DEFAULT 0,
  visit_resolved     INTEGER NOT NULL DEFAULT -1,
  visit_satisfaction INTEGER NOT NULL DEFAULT 0,
  last_seq           INTEGER NOT NULL,
  source_ref         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_state ON cases(state, id);
CREATE INDEX cases_due ON cases(due_at) WHERE due_at IS NOT NULL AND paused_at IS NULL;
CREATE INDEX cases_reporter ON cases(reporter_id) WHERE reporter_id IS NOT NULL;
CREATE INDEX cases_grid ON cases(grid, id) WHERE grid <> '';

-- The append-only event log: every transition of every case.
CREATE TABLE case_events (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor_id    INTEGER NOT NULL DEFAULT 0,
  actor_role  TEXT NOT NULL DEFAULT '',
  actor_unit  INTEGER NOT NULL DEFAULT 0,
  action      TEXT NOT NULL,
  from_state  TEXT NOT NULL DEFAULT '',
  to_state    TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  unit_id     INTEGER NOT NULL DEFAULT 0,
  units       TEXT NOT NULL DEFAULT '',
  ref_id      INTEGER NOT NULL DEFAULT 0,
  amount      INTEGER NOT NULL DEFAULT 0,
  flag        INTEGER NOT NULL DEFAULT -1,
  attachments TEXT NOT NULL DEFAULT '',
  due_at      INTEGER NOT NULL DEFAULT 0,
  warn_at     INTEGER NOT NULL DEFAULT 0,
  close_due   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (case_id, seq)
);
CREATE INDEX case_events_at ON case_events(at);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- Units attached to a case (lead, co-handlers, units summoned by a whistle):
-- derived from the log, kept for the handler's inbox and visibility checks.
CREATE TABLE case_units (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  kind    TEXT NOT NULL CHECK (kind IN ('lead','co','whistle')),
  PRIMARY KEY (case_id, unit_id, kind)
) WITHOUT ROWID;
CREATE INDEX case_units_unit ON case_units(unit_id, case_id);

-- Users who follow a case besides its reporter (e.g. of a merged duplicate).
CREATE TABLE case_followers (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;
CREATE INDEX case_followers_user ON case_followers(user_id, case_id);

CREATE TABLE whistles (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  type      TEXT NOT NULL REFERENCES whistle_types(code),
  blown_at  INTEGER NOT NULL,
  blown_by  INTEGER NOT NULL,
  limit_min INTEGER NOT NULL,
  note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX whistles_case ON whistles(case_id);

CREATE TABLE whistle_units (
  whistle_id  INTEGER NOT NULL REFERENCES whistles(id),
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  reported_at INTEGER NOT NULL DEFAULT 0,
  reported_by INTEGER NOT NULL DEFAULT 0,
  report_note TEXT NOT NULL DEFAULT '',
  score       INTEGER NOT NULL DEFAULT -1,
  comment     TEXT NOT NULL DEFAULT '',
  rated_at    INTEGER NOT NULL DEFAULT 0,
  rated_by    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (whistle_id, unit_id)
) WITHOUT ROWID;

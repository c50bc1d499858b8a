-- 006_stats_roll.sql: roll-ups that make statistics over millions of cases
-- fast (docs/stats.md, "How the figures are fast"). They are derived from
-- the event log by domain/stats_roll.c, which brings them up to the newest
-- event before each statistic; dropping their rows (and the cursor setting
-- stats_roll_event) only makes the next statistic rebuild them.
--
-- stats_roll: the change, from the end of China day `cday` on, of what the
-- cases reported on day `rday` contribute to the figures: v0..v31 are the
-- facts of domain/stats_int.h (enum stats_fact). Summing the rows with rday
-- in [from, to] and cday <= to gives the facts at the end of `to`. Each
-- change is kept at three levels, so that a statistic reads few rows: lvl 0
-- the whole subdistrict (grid ''), lvl 1 per community (grid = the 12-digit
-- community code, '' for cases in no grid), lvl 2 per grid ('' likewise).
CREATE TABLE stats_roll (
  lvl  INTEGER NOT NULL,
  rday INTEGER NOT NULL,
  cday INTEGER NOT NULL,
  grid TEXT NOT NULL,
  v0 INTEGER NOT NULL DEFAULT 0,
  v1 INTEGER NOT NULL DEFAULT 0,
  v2 INTEGER NOT NULL DEFAULT 0,
  v3 INTEGER NOT NULL DEFAULT 0,
  v4 INTEGER NOT NULL DEFAULT 0,
  v5 INTEGER NOT NULL DEFAULT 0,
  v6 INTEGER NOT NULL DEFAULT 0,
  v7 INTEGER NOT NULL DEFAULT 0,
  v8 INTEGER NOT NULL DEFAULT 0,
  v9 INTEGER NOT NULL DEFAULT 0,
  v10 INTEGER NOT NULL DEFAULT 0,
  v11 INTEGER NOT NULL DEFAULT 0,
  v12 INTEGER NOT NULL DEFAULT 0,
  v13 INTEGER NOT NULL DEFAULT 0,
  v14 INTEGER NOT NULL DEFAULT 0,
  v15 INTEGER NOT NULL DEFAULT 0,
  v16 INTEGER NOT NULL DEFAULT 0,
  v17 INTEGER NOT NULL DEFAULT 0,
  v18 INTEGER NOT NULL DEFAULT 0,
  v19 INTEGER NOT NULL DEFAULT 0,
  v20 INTEGER NOT NULL DEFAULT 0,
  v21 INTEGER NOT NULL DEFAULT 0,
  v22 INTEGER NOT NULL DEFAULT 0,
  v23 INTEGER NOT NULL DEFAULT 0,
  v24 INTEGER NOT NULL DEFAULT 0,
  v25 INTEGER NOT NULL DEFAULT 0,
  v26 INTEGER NOT NULL DEFAULT 0,
  v27 INTEGER NOT NULL DEFAULT 0,
  v28 INTEGER NOT NULL DEFAULT 0,
  v29 INTEGER NOT NULL DEFAULT 0,
  v30 INTEGER NOT NULL DEFAULT 0,
  v31 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lvl, rday, cday, grid)
) WITHOUT ROWID;
-- stats_intake: cases reported on `rday` by channel and nature, at the same
-- three levels.
CREATE TABLE stats_intake (
  lvl     INTEGER NOT NULL,
  rday    INTEGER NOT NULL,
  grid    TEXT NOT NULL,
  channel TEXT NOT NULL,
  nature  TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (lvl, rday, grid, channel, nature)
) WITHOUT ROWID;
-- Whistles are counted by the period they were blown in.
CREATE INDEX whistles_blown ON whistles(blown_at);

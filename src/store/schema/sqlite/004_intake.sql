-- 004_intake.sql: the report event carries the case's intake facts (channel,
-- nature, category, priority, texts, position, grid, reporter), so the event
-- log alone holds everything about a case; the replay check compares them
-- with the cases row. Older events have ''.
ALTER TABLE case_events ADD COLUMN intake TEXT NOT NULL DEFAULT '';

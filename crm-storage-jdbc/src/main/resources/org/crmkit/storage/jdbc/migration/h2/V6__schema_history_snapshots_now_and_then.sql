-- The schema history keeps the whole schema (snapshot_json) only every 100th version and where replaying a change
-- would not reproduce it; other rows hold just the change (change_json), and snapshot_json is null. Loading takes
-- the newest snapshot and replays the changes after it (SchemaHistoryStore). Rows written before keep their
-- snapshots. ${prefix} as in V1.
alter table "${prefix}crmkit_schema_history" alter column "snapshot_json" set null;

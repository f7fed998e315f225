-- The import ledger is keyed by (principal_id, object_type, import_id, row_no): an import id belongs to the principal
-- and the object type that used it, so another user's (or another type's) import of the same id is another import.
-- Rows written before this migration take the principal and type of the change-log entry that created their record
-- (every imported record has one, written in the same transaction); a row without one (a log pruned by hand) goes to
-- the system principal and the empty type, which no import uses: it is kept for the record but never consulted.
-- ${prefix} as in V1.
alter table "${prefix}crmkit_import" add column "principal_id" varchar(255);
alter table "${prefix}crmkit_import" add column "object_type" varchar(64);
update "${prefix}crmkit_import" i set
    "principal_id" = (select min(l."principal_id") from "${prefix}crmkit_change_log" l
                      where l."record_id" = i."record_id" and l."operation" = 'CREATE'),
    "object_type" = (select min(l."object_type") from "${prefix}crmkit_change_log" l
                     where l."record_id" = i."record_id" and l."operation" = 'CREATE');
update "${prefix}crmkit_import" set "principal_id" = 'system', "object_type" = ''
    where "principal_id" is null or "object_type" is null;
alter table "${prefix}crmkit_import" alter column "principal_id" set not null;
alter table "${prefix}crmkit_import" alter column "object_type" set not null;
alter table "${prefix}crmkit_import" drop primary key;
alter table "${prefix}crmkit_import" add primary key ("principal_id", "object_type", "import_id", "row_no");

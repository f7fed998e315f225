-- Merge links (RecordSet.merge): the record a merged-away record went into. A merged record is soft-deleted and keeps
-- its row in its type's table; this row says where it went, so that reading it can name the survivor. Removed when
-- the record is restored or purged. ${prefix} as in V1.
create table ${prefix}crmkit_merge_link (
    record_id   uuid primary key,
    object_type varchar(64) not null,
    survivor_id uuid not null
);

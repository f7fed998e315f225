-- The change log's seals (tamper evidence, ChangeLogSeals): one row per sealed entry, kept when retention deletes
-- the entry. digest, link and mark are Tink HMAC-SHA256 tags in Base64, computed by the engine. ${prefix} as in V1.
create table "${prefix}crmkit_change_seal" (
    "seq"    bigint primary key,
    "digest" varchar(64) not null,
    "link"   varchar(64) not null,
    "mark"   varchar(64)
);

-- The identity of this database: a random id written once, here, and never changed (Storage.identity()). A search
-- index records it with the change-log position it has applied, and rebuilds itself when it meets another database
-- (a new one, or another one at the same place). A dump of the database keeps the id; a database restored to an
-- earlier point is recognised by its change log instead (see docs/search.md). ${prefix} as in V1.
-- md5 of random bits rather than gen_random_uuid(), which needs PostgreSQL 13.
create table ${prefix}crmkit_identity (
    id varchar(36) primary key
);
insert into ${prefix}crmkit_identity (id)
    values (cast(cast(md5(random()::text || clock_timestamp()::text || random()::text) as uuid) as varchar(36)));

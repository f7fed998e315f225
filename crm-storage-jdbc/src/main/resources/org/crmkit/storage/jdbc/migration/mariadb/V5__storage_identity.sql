-- The identity of this database: a random id written once, here, and never changed (Storage.identity()). A search
-- index records it with the change-log position it has applied, and rebuilds itself when it meets another database
-- (a new one, or another one at the same place). A dump of the database keeps the id; a database restored to an
-- earlier point is recognised by its change log instead (see docs/search.md). ${prefix} as in V1.
create table ${prefix}crmkit_identity (
    id varchar(36) primary key
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;
insert into ${prefix}crmkit_identity (id) values (uuid());

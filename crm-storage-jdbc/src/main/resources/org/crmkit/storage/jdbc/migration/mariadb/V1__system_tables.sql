-- CRMKit system tables (MariaDB, MySQL). ${prefix} is the storage's table prefix ('' by default).
-- Object-type tables (crm_contact, crm_x_<custom>...) are not here: the schema engine creates them at run time.

-- Every applied schema change, with the whole schema after it; the newest row is the current schema.
create table ${prefix}crmkit_schema_history (
    version       bigint primary key,
    applied_at    timestamp(6) not null,
    principal_id  varchar(255) not null,
    change_json   longtext not null,
    snapshot_json longtext not null
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;

-- Redo log of schema changes whose DDL ran outside the transaction (H2, MariaDB); empty on PostgreSQL.
create table ${prefix}crmkit_schema_pending (
    version       bigint primary key,
    created_at    timestamp(6) not null,
    principal_id  varchar(255) not null,
    change_json   longtext not null,
    snapshot_json longtext not null
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;

-- The change log: one row per record change, seq in commit order.
create table ${prefix}crmkit_change_log (
    seq          bigint primary key,
    tx_id        char(36) not null,
    occurred_at  timestamp(6) not null,
    principal_id varchar(255) not null,
    object_type  varchar(64) not null,
    record_id    char(36) not null,
    operation    varchar(16) not null,
    version      bigint not null,
    changes_json longtext not null
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;
create index ${prefix}crmkit_change_log_record on ${prefix}crmkit_change_log (record_id, seq);

-- Cluster-wide locks and counters: 'schema' serialises schema changes, 'change_log' hands out sequences.
create table ${prefix}crmkit_lock (
    name    varchar(64) primary key,
    counter bigint not null
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;
insert into ${prefix}crmkit_lock (name, counter) values ('schema', 0), ('change_log', 0);

-- Rows of bulk imports already committed, so re-running an import creates no duplicates.
create table ${prefix}crmkit_import (
    import_id varchar(100) not null,
    row_no    bigint not null,
    record_id char(36) not null,
    primary key (import_id, row_no)
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;

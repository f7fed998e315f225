-- CRMKit workflow tables (MariaDB, MySQL): the durable job queue, named counters, versioned documents (rules). ${prefix} as in V1.

-- One row per job. due_at is when the job can next be claimed: its run time while READY, the end of its lease while
-- RUNNING (a lease that runs out makes it claimable again), null once DONE or DEAD; claims read it by index.
create table ${prefix}crmkit_job (
    id          char(36) primary key,
    kind        varchar(64) not null,
    job_key     varchar(255) not null,
    job_group   varchar(255),
    payload     longtext not null,
    state       varchar(16) not null,
    attempts    integer not null,
    run_at      timestamp(6) not null,
    due_at      timestamp(6),
    worker      varchar(100),
    last_error  longtext,
    created_at  timestamp(6) not null,
    finished_at timestamp(6)
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;
create unique index ${prefix}crmkit_job_key on ${prefix}crmkit_job (job_key);
create index ${prefix}crmkit_job_due on ${prefix}crmkit_job (due_at);
create index ${prefix}crmkit_job_group on ${prefix}crmkit_job (job_group);
create index ${prefix}crmkit_job_state on ${prefix}crmkit_job (state, run_at);

-- Named counters (round-robin assignment, document revisions), each taken under its row lock.
create table ${prefix}crmkit_counter (
    name    varchar(255) primary key,
    counter bigint not null
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;

-- The current version of each document (workflow rules); body null: deleted.
create table ${prefix}crmkit_document (
    kind         varchar(64) not null,
    name         varchar(100) not null,
    version      bigint not null,
    revision     bigint not null,
    body         longtext,
    principal_id varchar(255) not null,
    saved_at     timestamp(6) not null,
    primary key (kind, name)
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;

-- Every saved version of every document, by revision of its kind: the audit trail of rule changes.
create table ${prefix}crmkit_document_history (
    kind         varchar(64) not null,
    revision     bigint not null,
    name         varchar(100) not null,
    version      bigint not null,
    body         longtext,
    principal_id varchar(255) not null,
    saved_at     timestamp(6) not null,
    primary key (kind, revision)
) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin;
create index ${prefix}crmkit_document_history_name on ${prefix}crmkit_document_history (kind, name, version);

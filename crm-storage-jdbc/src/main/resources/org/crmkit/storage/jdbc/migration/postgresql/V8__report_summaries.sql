-- Pre-computed report summaries (ReportDefinition.summarised): one row per group of a summary, its counts and sums
-- as JSON, and a header row (row_key '#') that writers lock before changing the summary. ${prefix} as in V1.
create table ${prefix}crmkit_summary (
    summary varchar(100) not null,
    row_key varchar(64) not null,
    body    text not null,
    primary key (summary, row_key)
);

-- Claims take the first due jobs by (due_at, id): an index in that order lets H2 stop after the first few instead of
-- sorting every job of an equal due time (a batch submitted for one moment). ${prefix} as in V1.
drop index "${prefix}crmkit_job_due";
create index "${prefix}crmkit_job_due" on "${prefix}crmkit_job" ("due_at", "id");

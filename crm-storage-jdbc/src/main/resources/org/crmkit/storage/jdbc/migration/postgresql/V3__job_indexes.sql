-- Claims take the first due jobs by (due_at, id). On (due_at) alone PostgreSQL read every job of an equal due time
-- (a batch submitted for one moment: thousands) and sorted them by id before it could take the first few.
-- ${prefix} as in V1.
drop index ${prefix}crmkit_job_due;
create index ${prefix}crmkit_job_due on ${prefix}crmkit_job (due_at, id) where due_at is not null;

-- Most jobs have no group (only date-relative rules plan jobs by group): they need no entry.
drop index ${prefix}crmkit_job_group;
create index ${prefix}crmkit_job_group on ${prefix}crmkit_job (job_group) where job_group is not null;

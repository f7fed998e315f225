-- Change-log sequences come from this sequence from now on (ConcurrentSequencer): writers take one under a shared
-- advisory lock instead of the 'change_log' lock row's counter, so they commit side by side. It starts after the
-- counter (and after every entry, should the counter lag). Stop nodes of older versions before this migration runs:
-- they would keep taking sequences from the counter, and their commits would fail on duplicate sequences.
create sequence if not exists ${prefix}crmkit_change_log_seq;
select setval('${prefix}crmkit_change_log_seq',
              greatest(1, (select counter from ${prefix}crmkit_lock where name = 'change_log'),
                       (select coalesce(max(seq), 0) from ${prefix}crmkit_change_log)),
              greatest((select counter from ${prefix}crmkit_lock where name = 'change_log'),
                       (select coalesce(max(seq), 0) from ${prefix}crmkit_change_log)) > 0);

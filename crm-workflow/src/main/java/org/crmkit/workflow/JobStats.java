package org.crmkit.workflow;

/**
 * What this node's job runner did since the workflow started ({@link Jobs#stats()}): counters that only grow, for
 * throughput metrics. Jobs run by other nodes are counted there.
 *
 * @param succeeded    jobs that ran to completion
 * @param retried      failed attempts put back with a backoff
 * @param deadLettered jobs that failed for good and became dead letters
 */
public record JobStats(long succeeded, long retried, long deadLettered) {}

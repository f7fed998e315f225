package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a node: a poller that claims due jobs as workers free up (at once again while it finds a full batch,
 * else after the poll interval or when a local commit or finished job wakes it), the workers, and a heartbeat that
 * renews the leases of running jobs. Failures go back to the queue with the retry policy's backoff, or to the dead
 * letters. {@link #runDue()} does the same on the calling thread.
 */
final class JobRunner implements JobWakeup {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final long MAINTENANCE_MILLIS = 60_000;

    private final WorkflowConfig config;
    private final CrmBinding crm;
    private final RuleCatalog rules;
    private final JobExecutor executor;
    private final Map<UUID, ClaimedJob> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore wake = new Semaphore(0);
    private final java.util.Random jitter;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.LongAdder succeeded = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder retried = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder deadLettered = new java.util.concurrent.atomic.LongAdder();
    private @Nullable Thread poller;
    private @Nullable ExecutorService workers;
    private @Nullable ScheduledExecutorService heartbeat;
    private long lastMaintenance;
    private long lastRefresh;
    private int failures;

    JobRunner(WorkflowConfig config, CrmBinding crm, RuleCatalog rules, JobExecutor executor) {
        this.config = config;
        this.crm = crm;
        this.rules = rules;
        this.executor = executor;
        this.jitter = new java.util.Random(config.seed());
    }

    void start() {
        int n = config.workers();
        if (n == 0) {
            return;
        }
        String node = config.nodeId();
        AtomicInteger counter = new AtomicInteger();
        workers = Executors.newFixedThreadPool(n,
                r -> daemon(r, "crmkit-workflow-" + node + "-" + counter.incrementAndGet()));
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "crmkit-workflow-heartbeat-" + node));
        long every = config.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        poller = daemon(this::poll, "crmkit-workflow-poller-" + node);
        poller.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Tells the poller to look now (a commit of this node may have made jobs due). */
    @Override
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void poll() {
        ExecutorService pool = this.workers;
        if (pool == null) {
            return;
        }
        // claim a batch of twice the workers once fewer than half the workers' worth of claimed jobs wait behind the
        // running ones (db-scheduler's lock-and-fetch does the same), so a worker that finishes finds its next job
        // claimed already and one claim serves several jobs; waiting claims are renewed by heartbeats
        int workers = config.workers();
        int capacity = workers * 3;
        int lowWater = workers + Math.max(1, workers / 2) - 1;
        while (!stopping) {
            int claimed = 0;
            int free = capacity - inFlight.get();
            try {
                maintain();
                if (free > 0 && inFlight.get() <= lowWater) {
                    List<ClaimedJob> jobs = claim(free);
                    claimed = jobs.size();
                    for (ClaimedJob j : jobs) {
                        running.put(j.id(), j);
                        inFlight.incrementAndGet();
                        pool.execute(() -> {
                            try {
                                runOne(j);
                            } finally {
                                running.remove(j.id());
                                if (inFlight.decrementAndGet() <= lowWater) {
                                    wake();
                                }
                            }
                        });
                    }
                }
                failures = 0;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                failures++;
                if (failures == 1 || failures % 100 == 0) {
                    LOG.warn("workflow poller on {} failed ({} times in a row): {}", config.nodeId(), failures,
                            e.toString());
                }
                claimed = 0;
                free = 0; // back off for a poll interval
            }
            if (free > 0 && claimed == free) {
                continue; // a full batch: there may be more due at once
            }
            try {
                if (wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private List<ClaimedJob> claim(int limit) {
        Instant now = crm.now();
        return crm.queue().claim(config.nodeId(), limit, now, now.plus(config.lease()));
    }

    /** At most once a poll interval: rule changes of other nodes; once a minute: purging finished jobs. */
    private void maintain() {
        long t = System.currentTimeMillis();
        if (t - lastRefresh < config.pollInterval().toMillis()) {
            return;
        }
        lastRefresh = t;
        rules.refreshIfChanged();
        if (t - lastMaintenance > MAINTENANCE_MILLIS) {
            lastMaintenance = t;
            java.time.Duration keep = config.keepDone().isZero() ? java.time.Duration.ofMinutes(1)
                    : config.keepDone();
            int purged = crm.queue().purgeDone(crm.now().minus(keep), 10_000);
            if (purged > 0) {
                LOG.debug("purged {} finished jobs", purged);
            }
        }
    }

    private void beat() {
        if (running.isEmpty()) {
            return;
        }
        try {
            Instant until = crm.now().plus(config.lease());
            crm.queue().heartbeat(config.nodeId(), List.copyOf(running.values()), until);
        } catch (RuntimeException e) {
            LOG.warn("workflow heartbeat on {} failed: {}", config.nodeId(), e.toString());
        }
    }

    /** Runs what is due on this thread until nothing is; returns how many jobs ran. */
    int runDue() {
        int ran = 0;
        for (int round = 0; round < 100_000; round++) {
            int n = runDue(50);
            if (n == 0) {
                return ran;
            }
            ran += n;
        }
        return ran;
    }

    /** Runs at most {@code limit} due jobs on this thread; returns how many ran (0: none was due). */
    int runDue(int limit) {
        int ran = 0;
        while (ran < limit) {
            List<ClaimedJob> jobs = claim(Math.min(50, limit - ran));
            if (jobs.isEmpty()) {
                return ran;
            }
            for (ClaimedJob j : jobs) {
                running.put(j.id(), j);
                try {
                    runOne(j);
                } finally {
                    running.remove(j.id());
                }
                ran++;
            }
        }
        return ran;
    }

    /** Jobs this runner completed, retried and dead-lettered so far. */
    org.crmkit.workflow.JobStats stats() {
        return new org.crmkit.workflow.JobStats(succeeded.sum(), retried.sum(), deadLettered.sum());
    }

    /** Runs one job and records a failure with backoff or as a dead letter. */
    void runOne(ClaimedJob job) {
        try {
            executor.run(job);
            succeeded.increment();
        } catch (RuntimeException e) {
            if (e instanceof ConflictException c && c.recordId().equals(job.id())) {
                LOG.info("job {} was claimed by another worker after its lease ran out; its run here rolled back",
                        job.key());
                return;
            }
            if (e instanceof CrmException c && c.code() == ErrorCode.CLOSED) {
                return; // shutting down: the lease runs out and another node (or the next start) runs it
            }
            boolean permanent = permanent(e);
            Instant now = crm.now();
            Instant retryAt = permanent || job.attempt() >= config.retry().maxAttempts() ? null
                    : now.plus(config.retry().delay(job.attempt(), jitter));
            String error = describe(e);
            try {
                crm.queue().fail(job, error, retryAt, now);
            } catch (RuntimeException again) {
                LOG.warn("could not record the failure of job {}: {}", job.key(), again.toString());
                return;
            }
            (retryAt == null ? deadLettered : retried).increment();
            if (retryAt == null) {
                LOG.warn("job {} is a dead letter after attempt {}: {}", job.key(), job.attempt(), error);
            } else {
                LOG.info("job {} attempt {} failed, retry at {}: {}", job.key(), job.attempt(), retryAt, error);
            }
        }
    }

    private static boolean permanent(RuntimeException e) {
        if (e instanceof JobFailure f) {
            return f.permanent;
        }
        if (e instanceof CrmException c) {
            return switch (c.code()) {
                case VALIDATION_FAILED, ACCESS_DENIED, NOT_FOUND, RECORD_MERGED, DUPLICATE, SCHEMA, CONFIGURATION ->
                    true;
                default -> false;
            };
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String text = e instanceof JobFailure || e instanceof CrmException ? String.valueOf(m)
                : e.getClass().getName() + (m == null ? "" : ": " + m);
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    void close() {
        stopping = true;
        wake();
        if (poller != null) {
            poller.interrupt();
            try {
                poller.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(config.lease().toMillis(), TimeUnit.MILLISECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }
}

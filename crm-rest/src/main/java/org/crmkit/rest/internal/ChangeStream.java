package org.crmkit.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.crmkit.CrmSession;
import org.crmkit.event.ChangeLogEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's live stream: a reader thread follows the raw log the hub reads once for every stream
 * ({@link ChangeHub#read}), filtered for the caller by the engine ({@link CrmSession#visibleChanges}: what
 * {@link CrmSession#changes} shows, by the same code), into a bounded queue of pending events, and the request's thread writes them out, with a comment line when the
 * stream was quiet for a heartbeat. The reader waits while the queue is full and the client takes events (a burst is
 * caught up with); a client that takes none for the stall time is dropped: the queue is emptied, a final
 * {@code error} event is written if the client still takes it, and the connection is cut after a grace period. At
 * every heartbeat the stream asks whether the caller's credentials are still accepted: once its token expired or was
 * revoked it ends with an {@code error} event ({@code INVALID_TOKEN}), and the client reconnects with a fresh token
 * and {@code Last-Event-ID}.
 */
final class ChangeStream {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);
    private static final int PAGE = 200;

    /** An event to write; {@code sequence} -1 marks the end, -2 the drop of a slow client. */
    private record Frame(long sequence, byte[] text) {}

    private static final Frame END = new Frame(-1, new byte[0]);
    private static final Frame TOO_SLOW = new Frame(-2, new byte[0]);

    private final ChangeHub hub;
    private final CrmSession session;
    private final Set<String> types;
    private final Json json;
    private final Runnable abort;
    private final java.util.function.BooleanSupplier stillAccepted;
    private final BlockingQueue<Frame> pending;
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile boolean ended;
    private volatile long lastSent;
    private volatile @Nullable Thread reader;

    ChangeStream(ChangeHub hub, CrmSession session, long after, Set<String> types, Json json, Runnable abort,
            java.util.function.BooleanSupplier stillAccepted) {
        this.hub = hub;
        this.session = session;
        this.types = types;
        this.json = json;
        this.abort = abort;
        this.stillAccepted = stillAccepted;
        this.lastSent = after;
        this.pending = new ArrayBlockingQueue<>(hub.settings().maxPending() + 1);
    }

    /** Streams until the client leaves, is dropped, or the hub closes; {@code out} is the response body. */
    void run(OutputStream out) {
        long after = lastSent;
        reader = Thread.ofVirtual().name("crmkit-sse-reader").start(() -> follow(after));
        long heartbeat = hub.settings().heartbeat().toMillis();
        long nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeat);
        try {
            while (!ended) {
                if (System.nanoTime() - nextCheck >= 0) {
                    if (!stillAccepted.getAsBoolean()) {
                        writeError(out, "INVALID_TOKEN", "the bearer token is no longer accepted (expired or "
                                + "revoked); reconnect with a fresh token and Last-Event-ID to resume");
                        break;
                    }
                    nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeat);
                }
                Frame f = pending.poll(heartbeat, TimeUnit.MILLISECONDS);
                if (f == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                } else if (f == END) {
                    break;
                } else if (f == TOO_SLOW) {
                    writeError(out, "CLIENT_TOO_SLOW", "the client fell more than " + hub.settings().maxPending()
                            + " events behind; reconnect with Last-Event-ID to resume");
                    break;
                } else {
                    out.write(f.text());
                    lastSent = f.sequence();
                    if (!pending.isEmpty()) {
                        continue;
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("a change stream's client left", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            written.countDown();
            end();
            hub.leave(this);
        }
    }

    /** Writes the stream's last event: an {@code error} with a code, a detail and where to resume. */
    private void writeError(OutputStream out, String code, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("detail", detail);
        body.put("resume_after", lastSent);
        out.write(("event: error\ndata: " + new String(json.write(body), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the stream (the client left, or the server closes). */
    void end() {
        ended = true;
        Thread r = reader;
        if (r != null) {
            r.interrupt();
        }
        pending.clear();
        pending.offer(END);
    }

    private void follow(long start) {
        long after = start;
        long seen = hub.generation();
        long poll = hub.settings().poll().toMillis();
        long stall = hub.settings().stall().toMillis();
        try {
            while (!ended && !hub.closed()) {
                ChangeHub.Raw raw = hub.read(after, PAGE);
                List<ChangeLogEntry> read = raw.entries();
                if (!types.isEmpty()) {
                    read = read.stream().filter(e -> types.contains(e.objectType())).toList();
                }
                for (ChangeLogEntry e : read.isEmpty() ? read : session.visibleChanges(read)) {
                    if (!pending.offer(frame(e), stall, TimeUnit.MILLISECONDS)) {
                        drop();
                        return;
                    }
                }
                if (!raw.entries().isEmpty()) {
                    after = raw.entries().getLast().sequence();
                }
                if (!raw.more()) {
                    seen = hub.await(seen, poll);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("a change stream failed reading the feed; it is closed", e);
            end();
        }
    }

    /** The client is too slow: forget what waits, tell it why, and cut it off if it does not take that either. */
    private void drop() throws InterruptedException {
        pending.clear();
        pending.offer(TOO_SLOW);
        hub.leave(this); // it holds no backlog any more: its place is free for another client
        if (!written.await(hub.settings().grace().toMillis(), TimeUnit.MILLISECONDS)) {
            ended = true;
            abort.run();
        }
    }

    private Frame frame(ChangeLogEntry e) {
        String data = new String(json.write(ReadingsResource.entry(e)), StandardCharsets.UTF_8);
        return new Frame(e.sequence(),
                ("id: " + e.sequence() + "\nevent: change\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}

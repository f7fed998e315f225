package org.crmkit.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A test client of {@code GET /changes}: reads the stream line by line into events and comments. */
final class SseStream implements AutoCloseable {
    /** One block of the stream: an event ({@code id}, {@code event}, {@code data}) or a comment. */
    record Event(@Nullable String id, @Nullable String event, @Nullable String data, @Nullable String comment) {}

    static final Event EOF = new Event(null, null, null, "<end of stream>");

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseStream open(HttpClient http, HttpRequest request) {
        try {
            return new SseStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (event != null || data != null) {
                        events.add(new Event(id, event, data == null ? null : data.toString(), null));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6))
                            : data.append('\n').append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // the stream ended
        } finally {
            events.add(EOF);
        }
    }

    /** The next event or comment within 30 s (failing otherwise). */
    Event next() {
        try {
            Event e = events.poll(30, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("nothing arrived on the stream within 30 s");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code change} event, skipping comments; fails at the end of the stream. */
    Event nextChange() {
        while (true) {
            Event e = next();
            if (e == EOF) {
                throw new AssertionError("the stream ended");
            }
            if (e.comment() == null) {
                return e;
            }
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closed anyway
        }
        reader.interrupt();
    }
}

package org.crmkit.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/** The meters a binder registered, and where, so that closing the binder removes them again. */
final class BoundMeters {
    private record Bound(MeterRegistry registry, Meter meter) {}

    private final List<Bound> bound = new ArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();

    /** Remembers {@code meter} of {@code registry} and returns it. */
    synchronized <M extends Meter> M add(MeterRegistry registry, M meter) {
        bound.add(new Bound(registry, meter));
        return meter;
    }

    /** Remembers a handle to close with the meters (an operation listener). */
    synchronized void add(AutoCloseable handle) {
        handles.add(handle);
    }

    /** Removes every meter from its registry and closes the handles. */
    synchronized void close() {
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop an operation listener: " + e, e);
            }
        }
        handles.clear();
        for (Bound b : bound) {
            b.registry().remove(b.meter());
        }
        bound.clear();
    }
}

package org.crmkit.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.RelayMessage;

/**
 * A real publisher whose process "dies" on demand ({@link #kill}): from then on its connection is cut at the next
 * confirm and every confirm fails, so what it published last is never confirmed, as when a node is killed between
 * publish and confirm.
 */
public final class KillablePublisher implements ChangePublisher {
    private final ChangePublisher delegate;
    private final AtomicBoolean killed = new AtomicBoolean();

    public KillablePublisher(ChangePublisher delegate) {
        this.delegate = delegate;
    }

    public void kill() {
        killed.set(true);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void publish(List<RelayMessage> messages) {
        delegate.publish(messages);
    }

    @Override
    public void confirm(Duration timeout) {
        if (killed.get()) {
            delegate.close();
            throw new IllegalStateException("killed between publish and confirm");
        }
        delegate.confirm(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

/** The relay's NATS JetStream publisher, {@link org.crmkit.relay.nats.NatsPublisher}. */
@NullMarked
package org.crmkit.relay.nats;

import org.jspecify.annotations.NullMarked;

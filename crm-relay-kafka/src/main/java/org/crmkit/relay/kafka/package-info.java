/** The relay's Kafka publisher, {@link org.crmkit.relay.kafka.KafkaPublisher}. */
@NullMarked
package org.crmkit.relay.kafka;

import org.jspecify.annotations.NullMarked;

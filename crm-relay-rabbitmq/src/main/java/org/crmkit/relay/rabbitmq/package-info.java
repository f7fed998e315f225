/** The relay's RabbitMQ publisher, {@link org.crmkit.relay.rabbitmq.RabbitPublisher}. */
@NullMarked
package org.crmkit.relay.rabbitmq;

import org.jspecify.annotations.NullMarked;

/**
 * What a broker module implements to carry the relay's messages: {@link org.crmkit.relay.spi.ChangePublisher}, fed
 * {@link org.crmkit.relay.spi.RelayMessage}s.
 */
@NullMarked
package org.crmkit.relay.spi;

import org.jspecify.annotations.NullMarked;

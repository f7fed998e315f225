/**
 * The change-log relay: {@link org.crmkit.relay.ChangeRelay} publishes every committed change of a {@code Crm}, in
 * sequence order, through a {@link org.crmkit.relay.spi.ChangePublisher} to a message broker, at least once, resuming
 * from the position it keeps in the storage.
 */
@NullMarked
package org.crmkit.relay;

import org.jspecify.annotations.NullMarked;

/** The relay's engine: the publishing loop, the stored position with its lease, the message body. */
@NullMarked
package org.crmkit.relay.internal;

import org.jspecify.annotations.NullMarked;

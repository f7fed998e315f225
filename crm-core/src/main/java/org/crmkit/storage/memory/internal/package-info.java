/** Implementation of the in-memory storage; not API. */
@NullMarked
package org.crmkit.storage.memory.internal;

import org.jspecify.annotations.NullMarked;

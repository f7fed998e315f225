/** The in-memory storage, for tests and demos. */
@NullMarked
package org.crmkit.storage.memory;

import org.jspecify.annotations.NullMarked;

/**
 * Internal: the standard schema, naming rules and record hooks the engine applies. Not API.
 */
@NullMarked
package org.crmkit.internal.schema;

import org.jspecify.annotations.NullMarked;

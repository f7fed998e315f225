/**
 * Internal: the engine behind {@code Crm} (schema compilation, query planning, caching, change feed). Not API.
 */
@NullMarked
package org.crmkit.internal.service;

import org.jspecify.annotations.NullMarked;

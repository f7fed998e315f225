/**
 * What an operator watches: every session operation as it completes ({@link org.crmkit.observe.OperationListener},
 * registered with {@code crm.admin().observe(...)}), the record cache's hit counts ({@link org.crmkit.observe.CacheStats})
 * and the storage's connection pool ({@link org.crmkit.observe.PoolStats}), and the SLF4J MDC keys the engine sets
 * ({@link org.crmkit.observe.LogContext}). No metrics library appears here: {@code crm-micrometer} binds these to
 * Micrometer.
 */
@NullMarked
package org.crmkit.observe;

import org.jspecify.annotations.NullMarked;

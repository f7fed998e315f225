/**
 * Health checks for operators and orchestrators: {@code crm.admin().health()} answers a {@link org.crmkit.health.Health}
 * (UP, DEGRADED or DOWN, with one {@link org.crmkit.health.HealthComponent} per part: storage, search index, and what
 * plug-ins such as the workflow's job queue and relays contribute), judged against {@link org.crmkit.health.HealthBounds}.
 * A health check never throws for a part that is down: it reports it.
 */
@NullMarked
package org.crmkit.health;

import org.jspecify.annotations.NullMarked;

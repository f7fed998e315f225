/** Metrics, health and a Prometheus scrape endpoint beside the REST API. */
@NullMarked
package org.crmkit.examples.observability;

import org.jspecify.annotations.NullMarked;

/**
 * Whole-program benchmark suites that print {@code BENCH} lines comparing CRMKit with raw baselines.
 */
@NullMarked
package org.crmkit.benchmarks;

import org.jspecify.annotations.NullMarked;

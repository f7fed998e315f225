/**
 * The storage conformance suite: abstract JUnit 5 contracts that every storage runs through one small subclass
 * per contract providing {@link org.crmkit.testkit.conformance.ConformanceContract#newStorage()}. Everything is
 * exercised through the public API ({@code crm.as(principal).records(type)...}), so the suite checks the whole
 * stack the way applications see it.
 */
@NullMarked
package org.crmkit.testkit.conformance;

import org.jspecify.annotations.NullMarked;

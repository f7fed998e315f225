/**
 * Helpers for tests of code built on CRMKit: {@link org.crmkit.testkit.CrmExtension} (a fresh in-memory
 * {@code Crm} per test), {@link org.crmkit.testkit.SettableClock} and realistic
 * {@link org.crmkit.testkit.SampleData}.
 */
@NullMarked
package org.crmkit.testkit;

import org.jspecify.annotations.NullMarked;

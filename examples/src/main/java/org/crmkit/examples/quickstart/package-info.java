/**
 * The README quickstart as a runnable program: an in-memory CRM, a contact, a query.
 */
@NullMarked
package org.crmkit.examples.quickstart;

import org.jspecify.annotations.NullMarked;

/**
 * A runnable example of workflow rules and the job queue on a CRM.
 */
@NullMarked
package org.crmkit.examples.workflow;

import org.jspecify.annotations.NullMarked;

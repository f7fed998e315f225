/**
 * Automation for a {@code Crm}: rules (trigger, CEL condition, ordered actions) that admins change at run time, and the
 * durable job queue that runs what they trigger. Start with {@link org.crmkit.workflow.Workflow#builder()}.
 */
@Incubating
@NullMarked
package org.crmkit.workflow;

import org.crmkit.annotations.Incubating;
import org.jspecify.annotations.NullMarked;

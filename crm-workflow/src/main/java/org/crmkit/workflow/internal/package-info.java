/** The workflow engine behind {@link org.crmkit.workflow.Workflow}: not API, may change at any time. */
@NullMarked
package org.crmkit.workflow.internal;

import org.jspecify.annotations.NullMarked;

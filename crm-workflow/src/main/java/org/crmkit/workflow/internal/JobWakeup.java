package org.crmkit.workflow.internal;

/** Tells the job runner of this node to look for due jobs now (a commit or a submit here may have made some due). */
@FunctionalInterface
interface JobWakeup {
    void wake();
}

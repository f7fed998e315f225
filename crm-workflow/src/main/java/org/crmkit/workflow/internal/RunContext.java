package org.crmkit.workflow.internal;

import java.util.List;

/**
 * What the thread running a rule's step tells the commit hook: how deep in a chain of rule-triggered changes it is and
 * which {@code rule@record} links the chain went through (for loop protection).
 */
record RunContext(int depth, List<String> chain) {
    RunContext {
        chain = List.copyOf(chain);
    }
}

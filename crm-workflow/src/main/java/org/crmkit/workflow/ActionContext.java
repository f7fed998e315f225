package org.crmkit.workflow;

import java.util.Map;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;

/** What a {@link CustomAction} is given. */
public interface ActionContext {
    /** The rule (or, for a job submitted with {@link Jobs#submit}, the action's name). */
    String rule();

    /** The trigger record as it is now, as the rule's owner sees it; empty for rules without a record. */
    Optional<Record> record();

    /** A session acting as the rule's owner, bound to the job's transaction. */
    CrmSession session();

    /** The action's parameters. */
    Map<String, String> parameters();

    /** The same on every attempt of this action of this job, different for any other. */
    String idempotencyKey();

    /** Which attempt this is (1 for the first). */
    int attempt();
}

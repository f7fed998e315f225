package org.crmkit.workflow.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.workflow.ActionContext;
import org.crmkit.workflow.CustomAction;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.jspecify.annotations.Nullable;

/** The custom actions registered on this node, run from a rule's step or as a submitted job. */
final class CustomActions {
    private final Map<String, CustomAction> actions;
    private final CrmBinding crm;
    private final JobCompletion completion;

    CustomActions(Map<String, CustomAction> actions, CrmBinding crm, JobCompletion completion) {
        this.actions = Map.copyOf(actions);
        this.crm = crm;
        this.completion = completion;
    }

    /** A submitted action: runs as the system principal in the transaction that completes its job. */
    void runSubmitted(ClaimedJob job, Payloads.Submitted s) {
        crm.transaction(Principal.SYSTEM, (session, tx) -> {
            run(s.action(), s.parameters(), s.action(), job.key(), session, null, job);
            completion.complete(tx, job, List.of());
            return null;
        });
    }

    /** Runs action {@code name}; one this node does not know fails the job (another node may know it). */
    void run(String name, Map<String, String> parameters, String rule, String key, CrmSession session,
            @Nullable Record record, ClaimedJob job) {
        CustomAction action = actions.get(name);
        if (action == null) {
            throw new JobFailure("no custom action '" + name + "' registered on this node", false);
        }
        action.run(new ActionContext() {
            @Override
            public String rule() {
                return rule;
            }

            @Override
            public Optional<Record> record() {
                return Optional.ofNullable(record);
            }

            @Override
            public CrmSession session() {
                return session;
            }

            @Override
            public Map<String, String> parameters() {
                return parameters;
            }

            @Override
            public String idempotencyKey() {
                return key;
            }

            @Override
            public int attempt() {
                return job.attempt();
            }
        });
    }
}

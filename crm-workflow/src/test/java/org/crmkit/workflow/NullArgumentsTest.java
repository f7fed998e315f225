package org.crmkit.workflow;

import com.google.common.testing.NullPointerTester;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.Test;

/**
 * Every public method and constructor of {@code org.crmkit.workflow} refuses a null argument at its entry with a
 * {@link NullPointerException} naming the parameter, unless the parameter is declared {@code @Nullable} (jspecify),
 * which Guava's {@link NullPointerTester} honours. See crm-core's {@code NullArgumentsTest} for the convention.
 */
class NullArgumentsTest {
    private static final Rule RULE = Rule.builder("r").on("deal", Trigger.created())
            .then(Action.adjustScore("score", 1)).build();

    private static NullPointerTester tester() {
        return new NullPointerTester()
                .setDefault(Trigger.class, Trigger.created())
                .setDefault(Action.class, Action.webhook("https://example.com/hook"))
                .setDefault(Value.class, Value.of("x"))
                .setDefault(Rule.class, RULE)
                .setDefault(RunAs.class, RunAs.system())
                .setDefault(RetryPolicy.class, RetryPolicy.defaults())
                .setDefault(WebhookSettings.class, WebhookSettings.defaults())
                .setDefault(Principal.class, Principal.user("u-1", Role.ADMIN))
                .setDefault(Duration.class, Duration.ofSeconds(1));
    }

    @Test
    void staticMethodsAndConstructors() {
        for (Class<?> type : List.of(Action.class, Action.SetFields.class, Action.AdjustScore.class, Trigger.class,
                Trigger.FieldChanged.class, Trigger.StageChanged.class, Value.class, Rule.class, RunAs.class,
                RetryPolicy.class, RuleVersion.class, JobView.class, Notification.class, WebhookSettings.class,
                WebhookVerifier.class, Workflow.class)) {
            tester().testAllPublicStaticMethods(type);
            tester().testAllPublicConstructors(type);
        }
    }

    @Test
    void instances() {
        for (Object value : List.of(Workflow.builder(), Workflow.defaults(), RULE, Rule.builder("r"),
                Trigger.fieldChanged("stage"), Trigger.stageChanged(), Action.setFields(Map.of()),
                RunAs.user("u-1", "admin"), WebhookSettings.defaults(),
                WebhookVerifier.of(WebhookSettings.newSecret()))) {
            tester().testAllPublicInstanceMethods(value);
        }
    }
}

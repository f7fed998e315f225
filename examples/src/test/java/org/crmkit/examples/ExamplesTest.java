package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.crmkit.examples.quickstart.Quickstart;
import org.crmkit.examples.workflow.WorkflowExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example programs run on fresh H2 files, print what their Javadoc promises, and run again on the same files. */
class ExamplesTest {
    @TempDir
    Path dir;

    private static String output(ThrowingRunnable program) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theQuickstartRunsAndASecondRunReopensItsData() throws Exception {
        String[] args = {dir.resolve("crm").toString(), dir.resolve("index").toString()};
        String first = output(() -> Quickstart.main(args));
        assertThat(first).contains("0 deal(s) from earlier runs", "refused, nothing written:",
                "deal now closed_won", "search 'wile coyotte acme': ", "contact Wile Coyote", "timeline of the deal:");
        String second = output(() -> Quickstart.main(args));
        assertThat(second).contains("1 deal(s) from earlier runs");
    }

    @Test
    void theWorkflowExampleRunsItsRulesOnBackgroundWorkersAndKeepsThemForTheNextRun() throws Exception {
        String[] args = {dir.resolve("workflow").toString()};
        String first = output(() -> WorkflowExample.main(args));
        assertThat(first).contains("rule deal_closed_won v1", "rule vp_title_scores v1",
                "notifier: email to u-ada: Compiler licences is won: the kick-off call is yours",
                "task 'Kick-off call: Compiler licences' for u-ada", "priority high", "score 20",
                "READY=0, RUNNING=0, DONE=3, DEAD=0");
        assertThat(first).containsPattern("close date \\d{4}-\\d{2}-\\d{2}");
        String second = output(() -> WorkflowExample.main(args));
        assertThat(second).contains("rule deal_closed_won v1", "DONE=6, DEAD=0");
    }
}

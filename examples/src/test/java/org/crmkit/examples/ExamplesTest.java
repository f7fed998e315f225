package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.crmkit.examples.quickstart.Quickstart;
import org.crmkit.examples.report.PipelineChart;
import org.crmkit.examples.sales.SalesExample;
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
    void theMetricsExampleServesAPrometheusScrapeAndHealth() throws Exception {
        try (var example = org.crmkit.examples.observability.MetricsExample.start(dir.resolve("metrics"), 0)) {
            var http = java.net.http.HttpClient.newHttpClient();
            var created = http.send(java.net.http.HttpRequest.newBuilder(example.uri().resolve("objects/company"))
                    .header("Authorization", "Bearer demo").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            var scrape = http.send(java.net.http.HttpRequest.newBuilder(example.uri().resolve("metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).containsPattern("crmkit_operation_seconds_count\\{[^}]*operation=\"create\","
                    + "outcome=\"success\",type=\"company\"} 1")
                    .contains("hikaricp_connections_max{pool=\"crmkit\"}", "crmkit_jobs{status=\"dead\"} 0",
                            "crmkit_search_index_lag", "crmkit_cache_gets_total", "crmkit_health 0");
            var health = http.send(java.net.http.HttpRequest.newBuilder(example.uri().resolve("health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"storage\"", "\"jobs\"");
        }
    }

    @Test
    void theQuickstartRunsAndASecondRunReopensItsData() throws Exception {
        String[] args = {dir.resolve("crm").toString(), dir.resolve("index").toString()};
        String first = output(() -> Quickstart.main(args));
        assertThat(first).contains("0 deal(s) from earlier runs", "refused, nothing written:",
                "deal now closed_won", "search 'wile coyotte acme': ", "contact Wile Coyote", "timeline of the deal:",
                "lead converted: contact Runner, company Acme Ltd (existing), deal Bird seed");
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

    /**
     * Run as the quickstart profile runs it (its own JVM, the JVM options docs/your-project.md gives), the
     * quickstart prints nothing on stderr a user cannot act on: no SLF4J notice, no sun.misc.Unsafe warning
     * (protobuf-java 4.36+), no Lucene vector-module notice, no restricted-method warning.
     */
    @Test
    void theQuickstartStartsQuietly() throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(javaCommand, "--enable-native-access=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + Path.of("src", "main", "resources", "logging.properties")
                        .toAbsolutePath(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true", "-cp", System.getProperty("java.class.path"),
                Quickstart.class.getName(), dir.resolve("crm").toString(), dir.resolve("index").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("quickstart finished").isTrue();
        String stderr = Files.readString(err);
        assertThat(p.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
        assertThat(Files.readString(out)).contains("timeline of the deal:");
        assertThat(stderr).doesNotContain("SLF4J", "sun.misc.Unsafe", "jdk.incubator.vector", "restricted method",
                "WARNING");
    }

    @Test
    void theSalesExampleConvertsChecksMergesAndRollsUp() throws Exception {
        String out = output(() -> SalesExample.main(new String[0]));
        assertThat(out).contains("converted: contact Coyote in Southwest, company matched, deal Skates for Acme",
                "createChecked: written, 1 possible duplicate(s)", "scan: 3 contact(s), 1 cluster(s)",
                "background scan: 3 contact(s), 1 cluster(s), done true",
                "merged into William Gates <bill@acme.example>");
        assertThat(out).containsPattern("findDuplicates: 1 candidate\\(s\\), best [01]\\.\\d\\d on \\[.*last_name.*]");
        assertThat(out).containsPattern("company timeline: \\d+ entries from 6 records");
    }

    /**
     * The chart example runs the open-pipeline report, prints it as CSV and writes a PNG of the size it promises to
     * the path given (in a directory it creates).
     */
    @Test
    void thePipelineChartWritesAPng() throws Exception {
        Path png = dir.resolve("charts").resolve("pipeline.png");
        String out = output(() -> PipelineChart.main(new String[] {png.toString()}));
        assertThat(out).startsWith("stage,count(*),sum(amount.corporate)\r\n")
                .contains("chart written to " + png.toAbsolutePath());
        assertThat(out).containsPattern("\r\nproposal,\\d+,\\d+\\.\\d\\d\r\n");
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).as("the PNG signature").containsExactly(0x89, 'P', 'N', 'G', '\r', '\n',
                0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(PipelineChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PipelineChart.HEIGHT);
    }

    /**
     * Every code block of the README's "Sales process" section is, line by line (leading spaces aside), a run of lines
     * of {@link SalesExample}, which the test above runs: the README's sales snippets compile and work.
     */
    @Test
    void theReadmesSalesSnippetsAreTheSalesExamplesCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = first(readme, "(?s)\n## Sales process\n(.*?)\n## ");
        String example = stripIndent(Files.readString(Path.of("src", "main", "java", "org", "crmkit", "examples",
                "sales", "SalesExample.java")));
        List<String> blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section).results()
                .map(m -> m.group(1)).toList();
        assertThat(blocks).as("java blocks in the Sales process section").hasSizeGreaterThanOrEqualTo(3);
        for (String block : blocks) {
            assertThat(example).as("SalesExample.java").contains(stripIndent(block));
        }
    }

    private static String stripIndent(String code) {
        return code.lines().map(String::strip).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    /** The README's pom snippet is, verbatim, the consumer project's (which .ci/run builds against the install). */
    @Test
    void theReadmesPomSnippetIsTheConsumerProjectsPom() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String pom = Files.readString(Path.of("consumer", "pom.xml"));
        Matcher inReadme = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(inReadme.find()).as("an xml block in the README").isTrue();
        Matcher inPom = Pattern.compile("<!-- README snippet: begin -->\n(.*?)  <!-- README snippet: end -->",
                Pattern.DOTALL).matcher(pom);
        assertThat(inPom.find()).as("the snippet markers in examples/consumer/pom.xml").isTrue();
        assertThat(inReadme.group(1)).isEqualTo(inPom.group(1).replaceAll("(?m)^  ", ""));
    }

    /** crmkit-bom manages every library module of the reactor, at the reactor's version, and nothing else. */
    @Test
    void theBomListsEveryLibraryModuleAtTheReactorsVersion() throws Exception {
        String root = Files.readString(Path.of("..", "pom.xml"));
        String bom = Files.readString(Path.of("..", "crmkit-bom", "pom.xml"));
        String version = first(root, "<artifactId>crmkit-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertThat(first(bom, "<artifactId>crmkit-bom</artifactId>\\s*<version>([^<]+)</version>")).isEqualTo(version);
        assertThat(bom).doesNotContain("<parent>");
        List<String> managed = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project"
                + ".version}</version>").matcher(bom).results().map(m -> m.group(1)).toList();
        List<String> published = Pattern.compile("<module>([^<]+)</module>").matcher(root).results()
                .map(m -> m.group(1)).filter(m -> !List.of("crmkit-bom", "examples", "benchmarks").contains(m))
                .toList();
        assertThat(published).as("the library modules").contains("crm-core", "crm-storage-jdbc", "crm-search-lucene",
                "crm-workflow", "crm-testkit", "crm-rest", "crm-relay");
        assertThat(managed).as("every library module of the reactor, and nothing else")
                .containsExactlyInAnyOrderElementsOf(published);
        String imported = first(bom, "(?s)<dependencyManagement>(.*)</dependencyManagement>");
        assertThat(Pattern.compile("<groupId>([^<]+)</groupId>").matcher(imported).results().map(m -> m.group(1)))
                .as("what a user's import brings: CRMKit's own artifacts only").containsOnly("org.crmkit");
        String build = first(bom, "(?s)<build>(.*)</build>");
        assertThat(Pattern.compile("<groupId>([^<]+)</groupId>").matcher(build).results().map(m -> m.group(1)))
                .as("the plugins that install it, and Spotless (skipped) so that spotless:apply resolves at the root")
                .containsOnly("org.apache.maven.plugins", "com.diffplug.spotless");
        for (String module : managed) {
            assertThat(root).contains("<module>" + module + "</module>");
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}

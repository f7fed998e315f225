package org.crmkit.examples.observability;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.crmkit.Crm;
import org.crmkit.health.Health;
import org.crmkit.micrometer.CrmMetrics;
import org.crmkit.micrometer.JobQueueMetrics;
import org.crmkit.rest.AuthenticationException;
import org.crmkit.rest.CrmRest;
import org.crmkit.rest.RestServer;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.workflow.Workflow;

/**
 * The REST API standalone with what an operator scrapes beside it: {@code GET /metrics} in Prometheus's text format
 * (operation timers, job queue, search index, record cache, HikariCP pool, health) and {@code GET /health} (200 when
 * UP or DEGRADED, 503 when DOWN, the components as JSON). Runs on an H2 file ({@code data/metrics/crm}, or the path
 * given first) on port 8080 (or the second argument) until stopped.
 *
 * <pre>mvn -q -Pquickstart -DskipTests verify -Dquickstart.mainClass=org.crmkit.examples.observability.MetricsExample
 * curl -H 'Authorization: Bearer demo' -H 'Content-Type: application/json' -d '{"name":"Acme"}' localhost:8080/objects/company
 * curl localhost:8080/metrics</pre>
 *
 * <p>The bearer token {@code demo} stands for a real authenticator ({@code JwtAuthenticator}, docs/rest.md).
 */
public final class MetricsExample implements AutoCloseable {
    private final Crm crm;
    private final PrometheusMeterRegistry registry;
    private final CrmMetrics crmMetrics;
    private final JobQueueMetrics jobMetrics;
    private final RestServer server;

    private MetricsExample(Path data, int port) {
        Workflow workflow = Workflow.builder().workers(1).build();
        this.crm = Crm.builder().storage(JdbcStorage.h2File(data)).workflow(workflow).build();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.crmMetrics = new CrmMetrics(crm);
        crmMetrics.bindTo(registry);
        this.jobMetrics = new JobQueueMetrics(workflow.jobs());
        jobMetrics.bindTo(registry);
        CrmRest rest = CrmRest.builder(crm).authenticator((c, header) -> {
            if (!"Bearer demo".equals(header)) {
                throw new AuthenticationException("send 'Authorization: Bearer demo'");
            }
            return c.as(Principal.user("demo", Role.ADMIN));
        }).build();
        this.server = rest.start("127.0.0.1", port, config -> {
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
            config.routes.get("/health", ctx -> {
                Health h = crm.admin().health();
                ctx.status(h.status() == org.crmkit.health.HealthStatus.DOWN ? 503 : 200).json(Map.of("status",
                        h.status().name(), "components", h.components()));
            });
        });
    }

    /** Starts the CRM, its metrics and the server on {@code port} (0: any free port). */
    public static MetricsExample start(Path data, int port) {
        return new MetricsExample(data, port);
    }

    /** The server's base URI. */
    public java.net.URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        crmMetrics.close();
        jobMetrics.close();
        registry.close();
        crm.close();
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "data/metrics/crm");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        try (MetricsExample example = start(data, port)) {
            System.out.println("CRM on " + example.uri() + ": GET /metrics, GET /health; Ctrl-C to stop");
            new CountDownLatch(1).await();
        }
    }
}

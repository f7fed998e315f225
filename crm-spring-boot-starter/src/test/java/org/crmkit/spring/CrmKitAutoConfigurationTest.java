package org.crmkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.Crm;
import org.crmkit.CrmSearch;
import org.crmkit.RecordSet;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter in a Spring Boot context, as Spring Boot's own tests run auto-configurations: the beans it makes and
 * their settings, CRMKit's writes inside Spring's transactions (the application's row and CRMKit's record commit
 * together or not at all, listeners hear only a commit), backing off for the application's own beans, and a
 * graceful close that lets a running job finish. On H2 and PostgreSQL.
 */
class CrmKitAutoConfigurationTest {
    /** The databases the starter runs on here: H2 in memory and the loopback PostgreSQL. */
    enum Database {
        H2, POSTGRES
    }

    private static ApplicationContextRunner runner(Database db) {
        String url;
        String prefix = "sb" + UUID.randomUUID().toString().substring(0, 8) + "_";
        if (db == Database.H2) {
            url = "jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1";
        } else {
            TestDatabase.POSTGRES.requireAvailable();
            url = TestDatabase.POSTGRES.url();
        }
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, CrmKitAutoConfiguration.class,
                        CrmKitActuatorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "crmkit.storage.table-prefix=" + prefix,
                        "crmkit.workflow.workers=0");
    }

    private static void dropTables(Database db, JdbcStorage storage) {
        if (db == Database.POSTGRES) {
            TestDatabase.POSTGRES.dropTables(storage.tablePrefix());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theContextHoldsACrmOnTheApplicationsDataSourceWithSearchAndWorkflow(Database db) {
        runner(db).withPropertyValues("crmkit.default-phone-region=GB").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Crm.class).hasSingleBean(JdbcStorage.class)
                    .hasSingleBean(LuceneSearch.class).hasSingleBean(Workflow.class);
            Crm crm = context.getBean(Crm.class);
            JdbcStorage storage = context.getBean(JdbcStorage.class);
            assertThat(storage.tablePrefix()).startsWith("sb");
            Record ada = crm.as(Principal.SYSTEM).records("contact").create(Map.of("first_name", "Ada",
                    "last_name", "Lovelace", "phone", "020 7946 0958"));
            assertThat(ada.get("phone")).as("a national number read in crmkit.default-phone-region")
                    .isEqualTo("+442079460958");
            assertThat(crm.admin().searchIndex().awaitUpToDate(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(crm.as(Principal.SYSTEM).search("Lovelase")).extracting(h -> h.id()).contains(ada.id());
            dropTables(db, storage);
        });
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void crmKitsWritesCommitAndRollBackWithSpringsTransaction(Database db) {
        runner(db).run(context -> {
            assertThat(context).hasNotFailed();
            Crm crm = context.getBean(Crm.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate tx = context.getBean(TransactionTemplate.class);
            String orders = context.getBean(JdbcStorage.class).tablePrefix() + "erp_order";
            jdbc.execute("create table " + orders + " (id varchar(40) primary key)");
            List<ChangeLogEntry> heard = Collections.synchronizedList(new ArrayList<>());
            crm.changeLog().subscribe(heard::addAll);
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");

            UUID gone = tx.execute(status -> {
                jdbc.update("insert into " + orders + " (id) values ('o-1')");
                Record r = contacts.create(Map.of("last_name", "Gone"));
                status.setRollbackOnly();
                return r.id();
            });
            assertThat(contacts.find(gone)).isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from " + orders, Integer.class)).isZero();
            assertThat(heard).isEmpty();

            UUID kept = tx.execute(status -> {
                jdbc.update("insert into " + orders + " (id) values ('o-2')");
                Record r = contacts.create(Map.of("last_name", "Kept"));
                assertThat(heard).as("nothing heard before Spring commits").isEmpty();
                return r.id();
            });
            assertThat(contacts.find(kept)).isPresent();
            assertThat(jdbc.queryForList("select id from " + orders, String.class)).containsExactly("o-2");
            assertThat(heard).extracting(ChangeLogEntry::recordId).containsExactly(kept);

            // an exception thrown inside rolls back both as well
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.update("insert into " + orders + " (id) values ('o-3')");
                    contacts.create(Map.of("last_name", "Thrown"));
                    throw new IllegalStateException("the order was refused");
                });
            } catch (IllegalStateException expected) {
                // the host's own failure
            }
            assertThat(jdbc.queryForList("select id from " + orders, String.class)).containsExactly("o-2");
            assertThat(contacts.count(org.crmkit.query.Filters.where("last_name").eq("Thrown"))).isZero();
            jdbc.execute("drop table " + orders);
            dropTables(db, context.getBean(JdbcStorage.class));
        });
    }

    @Test
    void outsideATransactionCrmKitCommitsByItself() {
        runner(Database.H2).run(context -> {
            Crm crm = context.getBean(Crm.class);
            Record r = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Alone"));
            assertThat(crm.as(Principal.SYSTEM).records("contact").find(r.id())).isPresent();
        });
    }

    @Test
    void joiningCanBeTurnedOff() {
        runner(Database.H2).withPropertyValues("crmkit.storage.join-transactions=false").run(context -> {
            Crm crm = context.getBean(Crm.class);
            TransactionTemplate tx = context.getBean(TransactionTemplate.class);
            UUID id = tx.execute(status -> {
                Record r = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Own"));
                status.setRollbackOnly();
                return r.id();
            });
            assertThat(crm.as(Principal.SYSTEM).records("contact").find(id)).as("committed on its own").isPresent();
        });
    }

    @Test
    void searchAndWorkflowCanBeTurnedOff() {
        runner(Database.H2).withPropertyValues("crmkit.search.enabled=false", "crmkit.workflow.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Crm.class)
                        .doesNotHaveBean(CrmSearch.class).doesNotHaveBean(Workflow.class));
    }

    @Test
    void badSettingsFailTheStartWithCrmKitsMessage() {
        runner(Database.H2).withPropertyValues("crmkit.storage.table-prefix=Not A Prefix")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("tablePrefix must be empty or 1-20 characters"));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner(Database.H2).withUserConfiguration(OwnCrm.class).run(context -> {
            assertThat(context).hasSingleBean(Crm.class);
            assertThat(context.getBean(Crm.class)).isSameAs(context.getBean("ownCrm"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCrm {
        @Bean
        Crm ownCrm() {
            return Crm.builder().storage(InMemoryStorage.create()).build();
        }
    }

    @Test
    void closingTheContextLetsARunningJobFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Workflow workflow = Workflow.builder().workers(1).pollInterval(java.time.Duration.ofMillis(50))
                .action("slow", c -> {
                    started.countDown();
                    try {
                        Thread.sleep(1_000);
                        finished.set(true);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        Thread.currentThread().interrupt();
                    }
                }).build();
        runner(Database.H2).withBean(Workflow.class, () -> workflow, d -> d.setDestroyMethodName(""))
                .run(context -> {
                    Crm crm = context.getBean(Crm.class);
                    workflow.rules().save(Rule.builder("slow").on("contact", Trigger.created())
                            .then(Action.custom("slow", Map.of())).build());
                    crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Slow"));
                    assertThat(started.await(60, TimeUnit.SECONDS)).as("the job started").isTrue();
                }); // the context closes here, while the job runs
        assertThat(interrupted).as("the running job was interrupted").isFalse();
        assertThat(finished).as("the running job finished before the context closed").isTrue();
    }

    @Test
    void theActuatorHearsCrmKitsHealthAndMetersBindToTheApplicationsRegistry() {
        runner(Database.H2).run(context -> {
            assertThat(context).hasSingleBean(CrmKitHealthIndicator.class)
                    .hasSingleBean(org.crmkit.micrometer.CrmMetrics.class);
            org.springframework.boot.health.contributor.Health health = context
                    .getBean(CrmKitHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
            assertThat(health.getDetails()).containsKey("storage");

            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            context.getBean(org.crmkit.micrometer.CrmMetrics.class).bindTo(registry);
            context.getBean(Crm.class).as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Met"));
            assertThat(registry.find("crmkit.operation").tag("operation", "create").timer()).isNotNull();
        });
        // a closed Crm is reported DOWN, not thrown
        runner(Database.H2).run(context -> {
            context.getBean(Crm.class).close();
            assertThat(context.getBean(CrmKitHealthIndicator.class).health().getStatus())
                    .isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
        });
    }
}

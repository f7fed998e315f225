package org.crmkit.spring;

import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSearch;
import org.crmkit.CrmWorkflow;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.workflow.Workflow;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * CRMKit in a Spring Boot application: a {@link Crm} bean on the application's {@link DataSource}, whose writes join
 * Spring's transactions ({@link SpringHostTransactions}), with the Lucene index and the workflow when their modules
 * are on the class path, configured by {@link CrmKitProperties}. Every bean backs off when the application defines
 * its own. The {@code Crm} owns the storage, search and workflow and closes them when the context closes: running
 * jobs finish first (up to their lease), before the data source goes.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass({Crm.class, JdbcStorage.class})
@EnableConfigurationProperties(CrmKitProperties.class)
public class CrmKitAutoConfiguration {
    /** The storage on the application's data source; the {@code Crm} closes it. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    public JdbcStorage crmStorage(DataSource dataSource, CrmKitProperties properties) {
        CrmKitProperties.Storage s = properties.storage();
        return JdbcStorage.builder().dataSource(dataSource).tablePrefix(s.tablePrefix()).migrations(s.migrations())
                .joinHostTransactions(s.joinTransactions() ? new SpringHostTransactions(dataSource) : null).build();
    }

    /** The engine, built from the storage, search and workflow beans and every {@link CrmBuilderCustomizer}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(JdbcStorage.class)
    public Crm crm(JdbcStorage storage, ObjectProvider<CrmSearch> search, ObjectProvider<CrmWorkflow> workflow,
            ObjectProvider<CrmBuilderCustomizer> customizers, CrmKitProperties properties) {
        CrmBuilder builder = Crm.builder().storage(storage).search(search.getIfAvailable())
                .workflow(workflow.getIfAvailable());
        if (properties.defaultCurrency() != null) {
            builder.defaultCurrency(properties.defaultCurrency());
        }
        if (properties.defaultPhoneRegion() != null) {
            builder.defaultPhoneRegion(properties.defaultPhoneRegion());
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** The Lucene index ({@code crmkit.search.*}), when {@code crm-search-lucene} is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.crmkit.search.lucene.LuceneSearch")
    @ConditionalOnProperty(prefix = "crmkit.search", name = "enabled", matchIfMissing = true)
    static class SearchConfiguration {
        /** On disk at {@code crmkit.search.directory}, or in memory; the {@code Crm} closes it. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(CrmSearch.class)
        LuceneSearch crmSearch(CrmKitProperties properties) {
            var directory = properties.search().directory();
            return directory == null ? LuceneSearch.inMemory() : LuceneSearch.at(directory);
        }
    }

    /** The rules and job workers ({@code crmkit.workflow.*}), when {@code crm-workflow} is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.crmkit.workflow.Workflow")
    @ConditionalOnProperty(prefix = "crmkit.workflow", name = "enabled", matchIfMissing = true)
    static class WorkflowConfiguration {
        /** Workers as configured; the {@code Crm} closes it, letting running jobs finish. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(CrmWorkflow.class)
        Workflow crmWorkflow(CrmKitProperties properties) {
            CrmKitProperties.Workflow w = properties.workflow();
            return Workflow.builder().workers(w.workers()).nodeId(w.nodeId()).build();
        }
    }
}

package org.crmkit.spring;

import java.nio.file.Path;
import org.crmkit.storage.jdbc.MigrationMode;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The starter's settings, under {@code crmkit.*} (see {@code docs/spring-boot.md}).
 *
 * @param storage the storage on the application's {@code DataSource}
 * @param search the Lucene index, when {@code crm-search-lucene} is on the class path
 * @param workflow the rules and job workers, when {@code crm-workflow} is on the class path
 * @param defaultCurrency ISO 4217 code of the corporate currency (CRMKit's default when unset)
 * @param defaultPhoneRegion ISO 3166 region for phone numbers typed without a country code
 */
@ConfigurationProperties("crmkit")
public record CrmKitProperties(@DefaultValue Storage storage, @DefaultValue Search search,
        @DefaultValue Workflow workflow, @Nullable String defaultCurrency, @Nullable String defaultPhoneRegion) {

    /**
     * {@code crmkit.storage.*}.
     *
     * @param tablePrefix prefix of every table CRMKit creates in the application's database (default none)
     * @param migrations whether CRMKit migrates its system tables ({@code APPLY}, the default) or only checks them
     * @param joinTransactions whether CRMKit's writes join Spring's transactions on the same data source (default
     *     true)
     */
    public record Storage(@DefaultValue("") String tablePrefix, @DefaultValue("APPLY") MigrationMode migrations,
            @DefaultValue("true") boolean joinTransactions) {}

    /**
     * {@code crmkit.search.*}.
     *
     * @param enabled whether to index with Lucene when it is on the class path (default true)
     * @param directory where the index lives; unset, it is kept in memory and rebuilt from the database at start
     */
    public record Search(@DefaultValue("true") boolean enabled, @Nullable Path directory) {}

    /**
     * {@code crmkit.workflow.*}.
     *
     * @param enabled whether to run rules and jobs when {@code crm-workflow} is on the class path (default true)
     * @param workers job worker threads on this node (default 2; 0 runs jobs only when asked)
     * @param nodeId this node's name in the job queue's leases (default: generated)
     */
    public record Workflow(@DefaultValue("true") boolean enabled, @DefaultValue("2") int workers,
            @Nullable String nodeId) {}
}

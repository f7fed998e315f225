package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A storage on the host's own pool sorts long texts by their whole value, as on the pool CRMKit opens
 * (TextMatchingContract): MariaDB's sessions sort by the first 1,024 bytes unless told otherwise, and a host's
 * sessions were not opened with CRMKit's session variables.
 */
class HostDataSourceSortTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void textsSortByTheirWholeValueOnTheHostsPool(TestDatabase db) {
        try (TestStore store = TestStore.create(db)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(store.url);
            config.setMaximumPoolSize(2);
            config.setPoolName("host-sort");
            try (HikariDataSource host = new HikariDataSource(config);
                    Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(host).tablePrefix(store.prefix)
                            .build()).build()) {
                crm.schema().addObjectType(ObjectType.custom("memo", "Memo", Field.text("body").maxLength(4_000)));
                RecordSet memos = crm.as(Principal.SYSTEM).records("memo");
                String prefix = "é".repeat(1_500);
                for (String last : List.of("b", "c", "a")) {
                    memos.create(Map.of("body", prefix + last));
                }
                List<String> ends = new ArrayList<>();
                Query query = Query.all().orderBy(Sort.asc("body")).limit(2);
                while (true) {
                    Page<Record> page = memos.query(query);
                    for (Record r : page.items()) {
                        String body = r.getString("body");
                        ends.add(body.substring(body.length() - 1));
                    }
                    if (page.nextQuery().isEmpty()) {
                        break;
                    }
                    query = page.nextQuery().get();
                }
                assertThat(ends).containsExactly("a", "b", "c");
            }
        }
    }
}

package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.RecordSet;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A batch's keys are looked up with one query per reference field, however many rows name them, and again in each
 * batch (nothing is remembered from one batch to the next): counted on a storage that counts its queries.
 */
class ReferenceLookupQueriesTest {
    private final AtomicInteger lookups = new AtomicInteger();

    /** The in-memory storage, counting the queries on company that filter on erp_number. */
    private CrmStorage countingStorage() {
        CrmStorage memory = InMemoryStorage.create();
        Storage data = Installation.storageOf(memory);
        Storage counted = (Storage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Storage.class}, (p, m, args) -> {
                    Object out = call(m, data, args);
                    return out instanceof StorageTransaction tx ? counting(tx) : out;
                });
        return new CrmStorage() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public void install(PluginRegistry registry) {
                registry.storage(counted);
            }

            @Override
            public void close() {
                memory.close();
            }
        };
    }

    private StorageTransaction counting(StorageTransaction tx) {
        return (StorageTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageTransaction.class}, (p, m, args) -> {
                    if (m.getName().equals("query") && "company".equals(args[0])
                            && String.valueOf(args[1]).contains("erp_number")) {
                        lookups.incrementAndGet();
                    }
                    return call(m, tx, args);
                });
    }

    private static @Nullable Object call(Method m, Object target, Object @Nullable [] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static List<Map<String, Object>> rows(int n, int keys, String prefix) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Map.of("last_name", "c" + i, "crm_id", prefix + i, "company", "C-" + i % keys, "company.name",
                    "Company " + i % keys));
        }
        return out;
    }

    @Test
    void oneQueryPerReferenceFieldAndBatch() {
        try (Crm crm = Crm.builder().storage(countingStorage()).build()) {
            crm.schema().addField("company", Field.externalId("erp_number"));
            crm.schema().addField("contact", Field.externalId("crm_id"));
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            for (int k = 0; k < 5; k++) {
                crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Company " + k, "erp_number",
                        "C-" + k));
            }
            ImportOptions byErp = ImportOptions.defaults().batchSize(100).resolve("company",
                    ReferenceLookup.by("erp_number"));

            lookups.set(0);
            ImportResult imported = contacts.importRecords("count", rows(250, 5, "a"), byErp);
            assertThat(imported.created()).isEqualTo(250);
            assertThat(lookups.get()).as("batches of 100, 100 and 50 rows").isEqualTo(3);

            lookups.set(0);
            UpsertResult upserted = contacts.upsert("crm_id", rows(250, 10, "b"), byErp.resolve("company",
                    ReferenceLookup.by("erp_number").createMissing()));
            assertThat(upserted.created()).isEqualTo(250);
            assertThat(lookups.get()).as("one read per batch, the missing companies created from it").isEqualTo(3);
        }
    }
}

package org.crmkit.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.benchmarks.ContactData;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code memory.get}: {@code records("contact").get(id)} as a sales rep on {@link InMemoryStorage} against
 * {@code HashMap.get} on a plain {@code HashMap<UUID, Map<String, Object>>} holding the same {@code size} contacts
 * ({@link ContactData}, five standard and three custom fields), ids taken in one shuffled order on both sides.
 */
public class GetByIdBenchmark extends ComparisonBenchmark {
    private static final String VERSION = "_version";

    /** Contacts in each store. */
    @Param("10000")
    public int size;

    /** Seed of the contacts and of the order of the reads. */
    @Param("42")
    public long seed;

    private Crm crm;
    private RecordSet contacts;
    private UUID[] crmIds;
    private Map<UUID, Map<String, Object>> raw;
    private UUID[] rawIds;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        List<Map<String, Object>> data = ContactData.contacts(size, seed);
        crm = ContactData.inMemoryCrm();
        contacts = crm.as(Principal.user("bench-rep", Role.SALES_REP)).records("contact");
        raw = new HashMap<>();
        List<Integer> order = new ArrayList<>(size);
        UUID[] crmById = new UUID[size];
        UUID[] rawById = new UUID[size];
        for (int i = 0; i < size; i++) {
            crmById[i] = contacts.create(data.get(i)).id();
            Map<String, Object> row = new HashMap<>(data.get(i));
            row.put(VERSION, 1L);
            rawById[i] = UUID.randomUUID();
            raw.put(rawById[i], row);
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 31 + 7));
        crmIds = new UUID[size];
        rawIds = new UUID[size];
        for (int i = 0; i < size; i++) {
            crmIds[i] = crmById[order.get(i)];
            rawIds[i] = rawById[order.get(i)];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        crm.close();
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == size ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public long crmkit() {
        return contacts.get(crmIds[nextIndex()]).version();
    }

    @Benchmark
    public long baseline() {
        // every id is in the map: requireNonNull (inlined) is the null check the dereference made anyway
        return (Long) Objects.requireNonNull(Objects.requireNonNull(raw.get(rawIds[nextIndex()])).get(VERSION));
    }
}

package org.crmkit.search.lucene;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * The process {@link LuceneCrashTest} kills: opens the Crm on the given database and index, prints {@code ready},
 * then writes contacts as fast as it can (creates, updates, deletes, restores, purges, several per transaction at
 * times) until it is killed, printing {@value #COMMITTED} and the change log's last sequence after each transaction
 * that committed, so the test knows which changes were acknowledged. Arguments: JDBC URL, table prefix ("-" for
 * none), index directory, random seed.
 */
public final class CrashChild {
    /**
     * The start of the line printed after each committed write, once its commit has returned; the change log's last
     * sequence follows it (at least the sequence of that write's entry).
     */
    static final String COMMITTED = "committed ";

    private CrashChild() {}

    public static void main(String[] args) {
        JdbcStorage.Builder storage = JdbcStorage.builder().url(args[0]);
        if (!args[1].equals("-")) {
            storage.tablePrefix(args[1]);
        }
        Random random = new Random(Long.parseLong(args[3]));
        Crm crm = Crm.builder().storage(storage.build()).search(LuceneSearch.builder().directory(Path.of(args[2]))
                .commitInterval(Duration.ofMillis(20 + random.nextInt(200))).batchSize(50).build()).build();
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        List<Record> known = new ArrayList<>(contacts.query(org.crmkit.query.Query.all().limit(500)).items());
        System.out.println("ready");
        System.out.flush();
        for (long n = 0;; n++) {
            try {
                int op = random.nextInt(10);
                if (known.isEmpty() || op < 4) {
                    known.add(contacts
                            .create(Map.of("first_name", "Crash" + n, "last_name", "Child" + random.nextInt(50))));
                } else if (op < 7) {
                    int i = random.nextInt(known.size());
                    known.set(i, contacts.update(known.get(i), Map.of("title", "Title " + n)));
                } else if (op == 7) {
                    int i = random.nextInt(known.size());
                    Record r = known.get(i);
                    known.set(i, r.isDeleted() ? contacts.restore(r.id(), r.version()) : contacts.delete(r.id(),
                            r.version()));
                } else if (op == 8) {
                    Record r = known.remove(random.nextInt(known.size()));
                    contacts.purge(r.id());
                } else {
                    long k = n;
                    crm.as(Principal.SYSTEM).inTransactionDo(s -> {
                        for (int j = 0; j < 5; j++) {
                            s.records("contact").create(Map.of("last_name", "Batch" + k + "_" + j));
                        }
                    });
                }
                System.out.println(COMMITTED + crm.changeLog().lastSequence());
                System.out.flush();
            } catch (ConflictException | NotFoundException e) {
                known.clear();
                known.addAll(contacts.query(org.crmkit.query.Query.all().limit(500)).items());
            }
        }
    }
}

package org.crmkit.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;

/** Writes changes through the CRM for the relay's tests: contacts created, then updated in turn. */
public final class ChangeWriter {
    private final Crm crm;
    private final List<Record> records = new ArrayList<>();

    public ChangeWriter(Crm crm) {
        this.crm = crm;
    }

    /** Creates {@code n} contacts. */
    public ChangeWriter create(int n) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        for (int i = 0; i < n; i++) {
            records.add(contacts.create(Map.of("first_name", "Ada", "last_name", "Relay" + records.size(),
                    "email", "ada" + records.size() + "@example.com")));
        }
        return this;
    }

    /** Makes {@code n} updates, one record after another. */
    public ChangeWriter update(int n) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        for (int i = 0; i < n; i++) {
            int at = i % records.size();
            Record r = records.get(at);
            records.set(at, contacts.update(r, Map.of("last_name", "Relay" + at + "v" + (r.version() + 1))));
        }
        return this;
    }

    public List<UUID> ids() {
        return records.stream().map(Record::id).toList();
    }

    /** The whole change log, in order. */
    public static List<ChangeLogEntry> log(Crm crm) {
        List<ChangeLogEntry> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<ChangeLogEntry> page = crm.changeLog().read(after, 1000);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).sequence();
        }
    }
}

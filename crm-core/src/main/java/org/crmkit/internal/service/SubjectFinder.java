package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.privacy.RecordField;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * Finds the records a privacy request is about, in one storage transaction, with nothing hidden: the records named
 * by id; records of every type but {@value #ORGANISATION} whose email or phone fields hold one of the identifiers
 * (the subject's, and those of the records named by id); the activities and tasks whose reference to a contact or
 * lead points at one of them; the email and phone fields of records kept (an organisation, another person) that hold
 * one of the person's values (identifiers, and every email and phone of the records), to be emptied; and the fields
 * of other records that reference the records. Emails compare without regard to case, phones in E.164.
 */
final class SubjectFinder {
    /** The standard type that is an organisation, not a person. */
    static final String ORGANISATION = "company";
    /** Standard engagement types: erased with the person they are with (Salesforce's WhoId). */
    private static final Set<String> ENGAGEMENTS = Set.of("activity", "task");
    /** The person types an engagement's "who" reference points at. */
    private static final Set<String> PEOPLE = Set.of("contact", "lead");
    private static final int BATCH = 500;

    /**
     * The identifiers a request is searched by: emails in normal form, phones in E.164, record ids.
     *
     * @param emails    normal form
     * @param phones    E.164
     * @param recordIds record ids
     */
    record Identifiers(Set<String> emails, Set<String> phones, Set<UUID> recordIds) {
        Identifiers {
            emails = Set.copyOf(emails);
            phones = Set.copyOf(phones);
            recordIds = Set.copyOf(recordIds);
        }
    }

    /**
     * What was found.
     *
     * @param identifiers the identifiers searched, with the values of the records named by id
     * @param records     the records about the person, by id, in the order to purge them (engagements first)
     * @param cleared     email and phone fields of records kept that hold one of {@code values}
     * @param references  fields of other records referencing one of the records
     * @param values      every email and phone of the person: identifiers and the records' email and phone values
     */
    record Found(Identifiers identifiers, Map<UUID, Record> records, List<RecordField> cleared,
            List<RecordField> references, Set<String> values) {}

    private final StorageTransaction tx;
    private final SchemaSnapshot schema;

    SubjectFinder(StorageTransaction tx, SchemaSnapshot schema) {
        this.tx = tx;
        this.schema = schema;
    }

    Found find(Identifiers given) {
        Map<UUID, Record> named = new LinkedHashMap<>();
        for (UUID id : given.recordIds()) {
            for (ObjectType t : schema.types()) {
                tx.find(t.name(), id).ifPresent(r -> named.put(r.id(), r));
            }
        }
        Set<String> emails = new LinkedHashSet<>(given.emails());
        Set<String> phones = new LinkedHashSet<>(given.phones());
        for (Record r : named.values()) {
            collectValues(r, emails, phones);
        }
        Identifiers identifiers = new Identifiers(emails, phones, given.recordIds());
        Map<UUID, Record> people = new LinkedHashMap<>(named);
        for (ObjectType t : schema.types()) {
            if (t.name().equals(ORGANISATION)) {
                continue;
            }
            for (Field f : t.fields()) {
                holders(t, f, emails, phones).forEach(r -> people.putIfAbsent(r.id(), r));
            }
        }
        Map<UUID, Record> records = new LinkedHashMap<>(engagementsOf(people));
        people.forEach(records::putIfAbsent);
        Set<String> allEmails = new LinkedHashSet<>(emails);
        Set<String> allPhones = new LinkedHashSet<>(phones);
        for (Record r : records.values()) {
            collectValues(r, allEmails, allPhones);
        }
        List<RecordField> cleared = new ArrayList<>();
        for (ObjectType t : schema.types()) {
            for (Field f : t.fields()) {
                Set<UUID> seen = new LinkedHashSet<>();
                for (Record r : holders(t, f, allEmails, allPhones)) {
                    if (!records.containsKey(r.id()) && seen.add(r.id())) {
                        cleared.add(new RecordField(t.name(), r.id(), f.name()));
                    }
                }
            }
        }
        Set<String> values = new LinkedHashSet<>(allEmails);
        values.addAll(allPhones);
        return new Found(identifiers, records, cleared, referencesTo(records), values);
    }

    /**
     * The email and phone values the records ever had, as their change-log entries tell (an address the person
     * changed is still theirs, and still in job payloads and other records' history).
     */
    static Set<String> pastValues(SchemaSnapshot schema, List<org.crmkit.event.ChangeLogEntry> history) {
        Set<String> out = new LinkedHashSet<>();
        for (org.crmkit.event.ChangeLogEntry e : history) {
            ObjectType t = schema.findObjectType(e.objectType()).orElse(null);
            for (org.crmkit.event.FieldChange c : e.changes()) {
                Field f = t == null ? null : t.findField(c.field()).orElse(null);
                if (f != null && (f.type() == FieldType.EMAIL || f.type() == FieldType.PHONE)) {
                    for (Object v : java.util.Arrays.asList(c.oldValue(), c.newValue())) {
                        if (v instanceof String text) {
                            out.add(text);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Adds the record's email and phone values. */
    private void collectValues(Record r, Set<String> emails, Set<String> phones) {
        ObjectType t = schema.findObjectType(r.type()).orElse(null);
        if (t == null) {
            return;
        }
        for (Field f : t.fields()) {
            if (r.get(f.name()) instanceof String s) {
                if (f.type() == FieldType.EMAIL) {
                    emails.add(s);
                } else if (f.type() == FieldType.PHONE) {
                    phones.add(s);
                }
            }
        }
    }

    /** The records of {@code t}, soft-deleted too, whose field {@code f} holds one of the emails or phones. */
    private List<Record> holders(ObjectType t, Field f, Set<String> emails, Set<String> phones) {
        List<Record> out = new ArrayList<>();
        if (f.type() == FieldType.EMAIL) {
            for (String e : emails) {
                String lower = e.toLowerCase(Locale.ROOT);
                for (Record r : all(t.name(), Filters.where(f.name()).contains(e))) {
                    if (r.get(f.name()) instanceof String s && s.toLowerCase(Locale.ROOT).equals(lower)) {
                        out.add(r);
                    }
                }
            }
        } else if (f.type() == FieldType.PHONE) {
            for (String p : phones) {
                out.addAll(all(t.name(), Filters.where(f.name()).eq(p)));
            }
        }
        return out;
    }

    /** The activities and tasks whose contact or lead reference points at one of the people. */
    private Map<UUID, Record> engagementsOf(Map<UUID, Record> people) {
        Map<UUID, Record> out = new LinkedHashMap<>();
        for (String type : ENGAGEMENTS) {
            ObjectType t = schema.findObjectType(type).orElse(null);
            if (t == null) {
                continue;
            }
            for (Field f : t.fields()) {
                if (f.type() != FieldType.REFERENCE || !PEOPLE.contains(f.target())) {
                    continue;
                }
                List<UUID> targets = people.values().stream().filter(r -> r.type().equals(f.target()))
                        .map(Record::id).toList();
                for (Record r : pointingAt(t, f, targets)) {
                    if (!people.containsKey(r.id())) {
                        out.putIfAbsent(r.id(), r);
                    }
                }
            }
        }
        return out;
    }

    /** The fields of records outside {@code records} that reference one of them. */
    private List<RecordField> referencesTo(Map<UUID, Record> records) {
        List<RecordField> out = new ArrayList<>();
        for (ObjectType t : schema.types()) {
            for (Field f : t.fields()) {
                if (f.type() != FieldType.REFERENCE && f.type() != FieldType.RELATION) {
                    continue;
                }
                List<UUID> targets = records.values().stream().filter(r -> r.type().equals(f.target()))
                        .map(Record::id).toList();
                for (Record r : pointingAt(t, f, targets)) {
                    if (!records.containsKey(r.id())) {
                        out.add(new RecordField(t.name(), r.id(), f.name()));
                    }
                }
            }
        }
        return out;
    }

    /** The records of {@code t} whose reference or relation {@code f} points at one of {@code targets}. */
    private List<Record> pointingAt(ObjectType t, Field f, List<UUID> targets) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += BATCH) {
            List<UUID> chunk = targets.subList(i, Math.min(targets.size(), i + BATCH));
            Filter filter = f.type() == FieldType.REFERENCE ? Filters.where(f.name()).in(chunk)
                    : Filters.where(f.name()).hasAny(chunk.toArray());
            out.addAll(all(t.name(), filter));
        }
        return out;
    }

    /** Every record of {@code type} matching {@code filter}, soft-deleted ones too, page by page in id order. */
    private List<Record> all(String type, Filter filter) {
        List<Record> out = new ArrayList<>();
        @Nullable
        List<@Nullable Object> after = null;
        while (true) {
            List<Record> page = tx.query(type, StorageQuery.resolve(schema, type, filter, List.of(Sort.asc("id")),
                    BATCH, after, Query.Deleted.INCLUDE));
            out.addAll(page);
            if (page.size() < BATCH) {
                return out;
            }
            after = java.util.Arrays.asList((Object) page.get(page.size() - 1).id());
        }
    }
}

package org.crmkit.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which lead field fills which field of the contact, company and deal a lead converts into. Kept with the schema
 * (versioned, persisted, in {@link Schema#history()}) and checked when it is set
 * ({@link Schema#setLeadMapping(LeadMapping)}): every field named must exist, the target must be writable (not a
 * formula) and the types compatible.
 *
 * <p>With {@link #byName()} (the default), every field of the contact, company and deal gets the lead field of the
 * same name when the two types are compatible, custom fields included (same type; a text or long text target
 * takes text, email, phone, URL and picklist values; a decimal takes an integer; a picklist takes only a picklist
 * whose values it has). The lead's own conversion fields ({@code status}, {@code converted_at},
 * {@code converted_contact}, {@code converted_company}, {@code converted_deal}) are never copied by name.
 * {@link #entries()} add to or override that: {@code map("company", "name", "company_name")} fills the company's
 * name from the lead's company name, {@code skip("company", "description")} leaves a target field empty.
 *
 * <pre>{@code
 * crm.schema().setLeadMapping(LeadMapping.defaults().toBuilder()
 *     .map("contact", "region", "territory")      // custom fields of different names
 *     .skip("company", "phone")
 *     .build());
 * }</pre>
 *
 * @param byName  whether fields of the same name and a compatible type are copied
 * @param entries explicit entries, at most one per target field; they win over the same-name rule
 */
public record LeadMapping(boolean byName, List<Entry> entries) {
    /** The object types a lead converts into. */
    public static final List<String> TARGETS = List.of("contact", "company", "deal");

    public LeadMapping {
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
    }

    /**
     * One target field and where its value comes from.
     *
     * @param target the object type: {@code contact}, {@code company} or {@code deal}
     * @param field  the field of the target type
     * @param from   the lead field whose value it takes, or null to leave the field empty
     */
    public record Entry(String target, String field, @Nullable String from) {
        public Entry {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(field, "field");
        }
    }

    /** The standard mapping: by name, and the company's name from the lead's {@code company_name}. */
    public static LeadMapping defaults() {
        return new LeadMapping(true, List.of(new Entry("company", "name", "company_name")));
    }

    /** The explicit entry of a target field, if there is one. */
    public Optional<Entry> entry(String target, String field) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(field, "field");
        return entries.stream().filter(e -> e.target().equals(target) && e.field().equals(field)).findFirst();
    }

    /** A builder starting from this mapping. */
    public Builder toBuilder() {
        Builder b = new Builder().byName(byName);
        b.entries.addAll(entries);
        return b;
    }

    /** A builder of an empty mapping that copies by name. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LeadMapping}; a later entry for the same target field replaces the earlier one. */
    public static final class Builder {
        private boolean byName = true;
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        /** Whether fields of the same name and a compatible type are copied (default true). */
        public Builder byName(boolean value) {
            this.byName = value;
            return this;
        }

        /** Fills {@code target}.{@code field} from the lead's {@code leadField}. */
        public Builder map(String target, String field, String leadField) {
            Objects.requireNonNull(leadField, "leadField");
            return put(new Entry(target, field, leadField));
        }

        /** Leaves {@code target}.{@code field} empty, whatever the same-name rule would copy. */
        public Builder skip(String target, String field) {
            return put(new Entry(target, field, null));
        }

        private Builder put(Entry entry) {
            entries.removeIf(e -> e.target().equals(entry.target()) && e.field().equals(entry.field()));
            entries.add(entry);
            return this;
        }

        public LeadMapping build() {
            return new LeadMapping(byName, entries);
        }
    }
}

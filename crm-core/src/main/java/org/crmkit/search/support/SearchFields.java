package org.crmkit.search.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;

/**
 * Which fields a search covers and what role each plays, the same for every backend. A field is searched when it
 * is flagged {@link Field#searchable()} and holds text: text, long text, email, phone, URL, picklists. A
 * searchable reference field makes the referenced record's name searchable with the record (a contact is found by
 * its company's name).
 */
public final class SearchFields {
    /** What a searched field holds, which decides how it is analysed and how much a match in it counts. */
    public enum Role {
        /** The record's name: {@code first_name}, {@code last_name}, {@code name}, {@code full_name}, {@code subject}. */
        NAME,
        /** An email address: whole, local part, domain. */
        EMAIL,
        /** A phone number (E.164): all digits, national forms, the last digits. */
        PHONE,
        /** A company name (legal suffixes such as Inc, Ltd, GmbH count for little). */
        COMPANY,
        /** Other short text: titles, picklist values, URLs. */
        TEXT,
        /** Free text: notes, descriptions, bodies. */
        LONG_TEXT
    }

    /** Field names that are a record's name, in the order they make its title. */
    public static final List<String> NAME_FIELDS = List.of("first_name", "last_name", "full_name", "name",
            "subject");

    /** System properties a search filter may name besides indexed fields. */
    public static final Set<String> FILTER_PROPERTIES = Set.of("owner", "team", "created_by", "updated_by",
            "created_at", "updated_at");

    private static final Set<FieldType> TEXT_TYPES = Set.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL,
            FieldType.PHONE, FieldType.URL, FieldType.PICKLIST, FieldType.MULTI_PICKLIST);

    /**
     * The field types search covers: the text types and references (the target's name). The schema refuses
     * {@link Field#searchable()} on any other type (a flag that would do nothing).
     */
    public static final Set<FieldType> SEARCHABLE_TYPES = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE,
                    FieldType.URL, FieldType.PICKLIST, FieldType.MULTI_PICKLIST, FieldType.REFERENCE));

    private SearchFields() {}

    /**
     * The searchable text fields of a type, in schema order, encrypted ones left out: those are searched by exact
     * value only ({@link #exactOnly}), never indexed as text.
     */
    public static List<Field> searchable(ObjectType type) {
        Objects.requireNonNull(type, "type");
        return type.fields().stream().filter(f -> f.searchable() && !f.encrypted() && TEXT_TYPES.contains(f.type()))
                .toList();
    }

    /**
     * The searchable encrypted fields of a type: a search engine indexes only an exact-value token of each
     * ({@link org.crmkit.search.spi.SearchContext#exactToken}), no text, no stored value, no title.
     */
    public static List<Field> exactOnly(ObjectType type) {
        Objects.requireNonNull(type, "type");
        return type.fields().stream().filter(f -> f.searchable() && f.encrypted() && TEXT_TYPES.contains(f.type()))
                .toList();
    }

    /**
     * The form of a value (as stored, or as a caller typed it) an exact-value token is made of: for a phone its
     * digits, for other fields the value trimmed and lower-cased ({@link java.util.Locale#ROOT}).
     */
    public static String exactForm(FieldType type, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == FieldType.PHONE) {
            return value.replaceAll("[^0-9]", "");
        }
        return value.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The searchable reference fields of a type whose target type has a name. */
    public static List<Field> searchableReferences(SchemaSnapshot schema, ObjectType type) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(type, "type");
        List<Field> out = new ArrayList<>();
        for (Field f : type.fields()) {
            if (f.searchable() && f.type() == FieldType.REFERENCE && f.target() != null) {
                schema.findObjectType(f.target()).filter(t -> !nameFields(t).isEmpty()).ifPresent(t -> out.add(f));
            }
        }
        return out;
    }

    /** Whether a search covers the type at all. */
    public static boolean isSearched(SchemaSnapshot schema, ObjectType type) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(type, "type");
        return !searchable(type).isEmpty() || !exactOnly(type).isEmpty()
                || !searchableReferences(schema, type).isEmpty();
    }

    /** The role of a searchable field of {@code type}. */
    public static Role role(ObjectType type, Field field) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
        return switch (field.type()) {
            case EMAIL -> Role.EMAIL;
            case PHONE -> Role.PHONE;
            case LONG_TEXT -> Role.LONG_TEXT;
            default -> {
                if (isCompanyName(type, field)) {
                    yield Role.COMPANY;
                }
                yield NAME_FIELDS.contains(field.name()) ? Role.NAME : Role.TEXT;
            }
        };
    }

    private static boolean isCompanyName(ObjectType type, Field field) {
        return field.name().equals("company_name") || type.name().equals("company") && field.name().equals("name");
    }

    /** The role of the name of the record a searchable reference points at: company names are COMPANY, others NAME. */
    public static Role referenceRole(Field reference) {
        Objects.requireNonNull(reference, "reference");
        return "company".equals(reference.target()) ? Role.COMPANY : Role.NAME;
    }

    /** The text fields that make up a record's name (see {@link #NAME_FIELDS}); else its first required text field. */
    public static List<Field> nameFields(ObjectType type) {
        Objects.requireNonNull(type, "type");
        List<Field> out = new ArrayList<>();
        for (String n : NAME_FIELDS) {
            type.findField(n).filter(f -> f.type() == FieldType.TEXT && !f.encrypted()).ifPresent(out::add);
        }
        if (out.isEmpty()) {
            type.fields().stream().filter(f -> f.type() == FieldType.TEXT && f.required() && !f.encrypted())
                    .findFirst()
                    .ifPresent(out::add);
        }
        return out;
    }

    /**
     * A record's name made of some of its name fields: their values joined by spaces; empty when none holds a
     * value. Callers pass only the name fields the reader may see
     * ({@link org.crmkit.search.spi.TypeScope#titleFields()}).
     */
    public static Optional<String> name(List<String> fields, Function<String, @Nullable Object> value) {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(value, "value");
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            Object v = value.apply(f);
            if (v != null && !v.toString().isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(v);
            }
        }
        return sb.isEmpty() ? Optional.empty() : Optional.of(sb.toString());
    }

    /** A field value as the text a search sees ({@code a;b} lists become {@code a b}). */
    public static Optional<String> text(Record record, Field field) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(field, "field");
        Object v = record.get(field.name());
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof List<?> list) {
            return list.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", list.stream().map(Object::toString)
                    .toList()));
        }
        return Optional.of(v.toString());
    }

    /**
     * Whether a search filter may name {@code path} on {@code type}: a system property of
     * {@link #FILTER_PROPERTIES}, or an indexed field of the type itself that holds a single value (no path through
     * a reference, no part of a structured field).
     */
    public static boolean filterable(ObjectType type, ResolvedPath path) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        if (!path.hops().isEmpty() || path.part() != null) {
            return false;
        }
        if (path.property() != null) {
            return FILTER_PROPERTIES.contains(path.property());
        }
        Field f = path.field();
        return f != null && f.indexed() && !f.encrypted() && switch (f.type()) {
            case TEXT, EMAIL, PHONE, URL, PICKLIST, INTEGER, DECIMAL, PERCENT, BOOLEAN, DATE, DATETIME, REFERENCE ->
                true;
            default -> false;
        };
    }
}

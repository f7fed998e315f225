package org.crmkit.search.lucene.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.document.TextField;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.jspecify.annotations.Nullable;

/** Turns a record into its index document (the layout of {@link IndexFields}). */
final class DocumentMapper {
    /** Makes the exact-value token of a value of an encrypted field ({@code SearchContext.exactToken}). */
    @FunctionalInterface
    interface Tokens {
        java.util.Optional<String> token(String objectType, String field, String value);

        Tokens NONE = (t, f, v) -> java.util.Optional.empty();
    }

    private final PhoneForms phones = new PhoneForms();
    private final Tokens tokens;

    DocumentMapper(Tokens tokens) {
        this.tokens = tokens;
    }

    /** What the documents of one type hold, worked out once per schema rather than once per record. */
    private record Plan(List<Field> searched, List<SearchFields.Role> roles, List<Field> references,
            List<SearchFields.Role> referenceRoles, List<List<String>> referenceNames, List<Field> indexed,
            List<Field> names, List<Field> exact) {}

    private final Map<ObjectType, Plan> plans = new java.util.IdentityHashMap<>();
    private @Nullable SchemaSnapshot plannedFor;

    private synchronized Plan plan(SchemaSnapshot schema, ObjectType type) {
        if (plannedFor != schema) {
            plans.clear();
            plannedFor = schema;
        }
        return plans.computeIfAbsent(type, t -> {
            List<Field> searched = SearchFields.searchable(t);
            List<Field> refs = SearchFields.searchableReferences(schema, t);
            return new Plan(searched, searched.stream().map(f -> SearchFields.role(t, f)).toList(), refs,
                    refs.stream().map(SearchFields::referenceRole).toList(),
                    refs.stream().map(f -> SearchFields
                            .nameFields(schema
                                    .findObjectType(
                                            Objects.requireNonNull(f.target(), "a reference field has a target"))
                                    .orElseThrow())
                            .stream().map(Field::name).toList()).toList(),
                    t.fields().stream().filter(f -> f.indexed() && !f.encrypted()).toList(), SearchFields.nameFields(t),
                    SearchFields.exactOnly(t));
        });
    }

    /**
     * The document of a live record. {@code referenced} holds the live records its searchable references point
     * at (absent: the target is gone or deleted, and nothing is indexed for it): their names are searchable with
     * the record, their owner and team are kept beside them so that each caller's scope on them applies.
     */
    Document document(SchemaSnapshot schema, ObjectType type, Record r, Map<UUID, Record> referenced) {
        Plan plan = plan(schema, type);
        Document d = new Document();
        d.add(new StringField(IndexFields.ID, r.id().toString(), Store.YES));
        d.add(new BinaryDocValuesField(IndexFields.ID, new BytesRef(r.id().toString())));
        d.add(new StringField(IndexFields.TYPE, type.name(), Store.YES));
        d.add(new StoredField(IndexFields.VERSION, r.version()));
        for (Field f : plan.names()) {
            // each name field apart: a caller's title is made of the ones they may see
            Object v = r.get(f.name());
            if (v != null) {
                d.add(new StoredField(IndexFields.name(f.name()), v.toString()));
            }
        }
        d.add(new StringField(IndexFields.OWNER, r.owner(), Store.NO));
        if (r.team() != null) {
            d.add(new StringField(IndexFields.TEAM, r.team(), Store.NO));
            d.add(new StringField(IndexFields.HAS, "team", Store.NO));
        }
        d.add(new StringField(IndexFields.CREATED_BY, r.createdBy(), Store.NO));
        d.add(new StringField(IndexFields.UPDATED_BY, r.updatedBy(), Store.NO));
        d.add(new LongPoint(IndexFields.CREATED_AT, micros(r.createdAt())));
        d.add(new LongPoint(IndexFields.UPDATED_AT, micros(r.updatedAt())));
        d.add(Recency.field(r.updatedAt()));
        for (int i = 0; i < plan.searched().size(); i++) {
            Field f = plan.searched().get(i);
            SearchFields.Role role = plan.roles().get(i);
            SearchFields.text(r, f).ifPresent(text -> searchable(d, f.name(), role, text));
        }
        for (int i = 0; i < plan.references().size(); i++) {
            String ref = plan.references().get(i).name();
            Record target = r.get(ref) instanceof UUID id ? referenced.get(id) : null;
            String name = target == null ? null : SearchFields.name(plan.referenceNames().get(i), target::get)
                    .orElse(null);
            if (target != null && name != null) {
                searchable(d, ref, plan.referenceRoles().get(i), name);
                d.add(new StringField(IndexFields.referenced(ref, "owner"), target.owner(), Store.NO));
                if (target.team() != null) {
                    d.add(new StringField(IndexFields.referenced(ref, "team"), target.team(), Store.NO));
                    d.add(new StringField(IndexFields.referenced(ref, IndexFields.HAS), "team", Store.NO));
                }
            }
        }
        for (Field f : plan.indexed()) {
            filterable(d, f, r.get(f.name()));
        }
        for (Field f : plan.exact()) {
            // an encrypted field: only a keyed token of its exact value, never its text, stored value or title
            if (r.get(f.name()) instanceof String v) {
                tokens.token(type.name(), f.name(), v).ifPresent(token -> d.add(new StringField(
                        IndexFields.exact(f.name()), token, Store.NO)));
            }
        }
        return d;
    }

    private void searchable(Document d, String name, SearchFields.Role role, String text) {
        d.add(new StoredField(IndexFields.stored(name), text));
        switch (role) {
            case NAME, TEXT -> {
                d.add(new TextField(IndexFields.words(name, false), text, Store.NO));
                d.add(new TextField(IndexFields.prefixes(name, false), text, Store.NO));
                if (role == SearchFields.Role.NAME) {
                    d.add(new TextField(IndexFields.phonetic(name), text, Store.NO));
                    d.add(new TextField(IndexFields.typoKeys(name, false), text, Store.NO));
                    d.add(new TextField(IndexFields.ALL_TRIGRAMS, text, Store.NO));
                }
                shortText(d, text);
            }
            case COMPANY -> {
                String plain = withoutLegalSuffixes(text);
                d.add(new TextField(IndexFields.words(name, true), text, Store.NO));
                d.add(new TextField(IndexFields.prefixes(name, true), text, Store.NO));
                d.add(new TextField(IndexFields.phonetic(name), plain, Store.NO));
                d.add(new TextField(IndexFields.typoKeys(name, true), text, Store.NO));
                d.add(new TextField(IndexFields.ALL_TRIGRAMS, plain, Store.NO));
                shortText(d, plain);
            }
            case EMAIL -> {
                String folded = SearchTerms.fold(text);
                d.add(new StringField(IndexFields.email(name), folded, Store.NO));
                int at = folded.lastIndexOf('@');
                if (at > 0) {
                    d.add(new StringField(IndexFields.email(name), folded.substring(0, at), Store.NO));
                    d.add(new StringField(IndexFields.email(name), folded.substring(at + 1), Store.NO));
                }
                String words = String.join(" ", SearchTerms.words(folded));
                d.add(new TextField(IndexFields.words(name, false), words, Store.NO));
                d.add(new TextField(IndexFields.prefixes(name, false), words, Store.NO));
                shortText(d, words);
            }
            case PHONE -> {
                for (String form : phones.whole(text)) {
                    d.add(new StringField(IndexFields.digits(name), form, Store.NO));
                }
                for (String suffix : PhoneForms.suffixes(text)) {
                    d.add(new StringField(IndexFields.digitSuffixes(name), suffix, Store.NO));
                }
            }
            case LONG_TEXT -> {
                d.add(new TextField(IndexFields.words(name, false), text, Store.NO));
                d.add(new TextField(IndexFields.ALL_LONG, text, Store.NO));
            }
        }
    }

    /** Short text also feeds the combined fields that typo and sound matching run on. */
    private static void shortText(Document d, String text) {
        d.add(new TextField(IndexFields.ALL_WORDS, text, Store.NO));
        d.add(new TextField(IndexFields.ALL_PHONETIC, text, Store.NO));
    }

    /** The words of a company name without its legal form ("Acme Ltd" is "Acme"); all of them if that is all. */
    static String withoutLegalSuffixes(String text) {
        List<String> words = SearchTerms.words(SearchTerms.fold(text));
        List<String> kept = words.stream().filter(w -> !Analysis.LEGAL_SUFFIXES.contains(w)).toList();
        return String.join(" ", kept.isEmpty() ? words : kept);
    }

    private static void filterable(Document d, Field f, @Nullable Object value) {
        if (value == null) {
            return;
        }
        d.add(new StringField(IndexFields.HAS, f.name(), Store.NO));
        Long n = number(f, value);
        if (n != null) {
            d.add(new LongPoint(IndexFields.number(f.name()), n));
        } else {
            d.add(new StringField(IndexFields.keyword(f.name()), keyword(value), Store.NO));
        }
    }

    /** The long a numeric, date or datetime value is indexed as; null for keyword types. */
    static @Nullable Long number(Field f, Object value) {
        return switch (f.type()) {
            case INTEGER -> ((Number) value).longValue();
            case DECIMAL, PERCENT -> ((BigDecimal) value).setScale(f.scale(), java.math.RoundingMode.UNNECESSARY)
                    .unscaledValue().longValueExact();
            case DATE -> ((LocalDate) value).toEpochDay();
            case DATETIME -> micros((Instant) value);
            default -> null;
        };
    }

    static String keyword(Object value) {
        return value instanceof Boolean b ? b.toString().toLowerCase(Locale.ROOT) : value.toString();
    }

    static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    /** Whether a field type is indexed as a number ({@link #number}) rather than a keyword. */
    static boolean numeric(FieldType t) {
        return switch (t) {
            case INTEGER, DECIMAL, PERCENT, DATE, DATETIME -> true;
            default -> false;
        };
    }
}

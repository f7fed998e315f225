package org.crmkit.search.spi;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.query.Filter;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.support.SearchFields;
import org.jspecify.annotations.Nullable;

/**
 * One object type a search covers, as the caller may see it. A backend builds every part of a hit (what matches,
 * its score, match kind, highlights, title, the total) from this alone: only the listed fields, only referenced
 * records inside {@link Reference#scope()}, only records matching {@link #filter()}.
 *
 * @param type        the object type
 * @param fields      the searchable fields the caller may see: only these are matched and highlighted
 * @param titleFields the name fields ({@link SearchFields#nameFields}) the caller may see: only these make the title
 * @param references  the searchable references whose target's name the caller may see ({@code company} on a
 *                    contact: the contact's company name is matched too), each with the caller's record scope on
 *                    the referenced type
 * @param filter      records must match it: the caller's record scope and their own filter, checked and with
 *                    values converted; it names only {@link SearchFields#FILTER_PROPERTIES} and indexed fields
 * @param exactFields the encrypted searchable fields ({@link SearchFields#exactOnly}) the caller may see: matched
 *                    only by the exact-value token of the whole search text, never highlighted
 */
public record TypeScope(ObjectType type, List<String> fields, List<String> titleFields, List<Reference> references,
        Filter filter, List<String> exactFields) {
    /** A scope without encrypted fields. */
    public TypeScope(ObjectType type, List<String> fields, List<String> titleFields, List<Reference> references,
            Filter filter) {
        this(type, fields, titleFields, references, filter, List.of());
    }

    /**
     * A searchable reference the caller may search through.
     *
     * @param field the reference field ({@code company})
     * @param scope the caller's record scope on the referenced type, naming only {@code owner} and {@code team}
     *              ({@link Filter#ALL} when they see every record of it): the referenced record's name is matched,
     *              highlighted and counted only when the referenced record matches it
     */
    public record Reference(String field, Filter scope) {
        public Reference {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(scope, "scope");
        }

        /** Whether the caller sees every referenced record (no scope to apply). */
        public boolean unrestricted() {
            return scope.equals(Filter.ALL);
        }
    }

    public TypeScope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(titleFields, "titleFields");
        Objects.requireNonNull(references, "references");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(exactFields, "exactFields");
        exactFields = List.copyOf(exactFields);
        fields = List.copyOf(fields);
        titleFields = List.copyOf(titleFields);
        references = List.copyOf(references);
    }

    /** The names of the reference fields. */
    public List<String> referenceFields() {
        return references.stream().map(Reference::field).toList();
    }

    /**
     * A hit's title as this caller may see it: the values of the visible name fields joined by spaces; the record
     * id when none of them is visible or holds a value (an id reveals nothing the hit does not already say).
     *
     * @param value a name field's value of the record, or null
     */
    public String title(Function<String, @Nullable Object> value, UUID id) {
        return SearchFields.name(titleFields, value).orElse(id.toString());
    }
}

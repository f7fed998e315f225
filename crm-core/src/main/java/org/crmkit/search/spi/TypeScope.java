package org.crmkit.search.spi;

import java.util.List;
import org.crmkit.query.Filter;
import org.crmkit.schema.ObjectType;

/**
 * One object type a search covers, as the caller may see it.
 *
 * @param type       the object type
 * @param fields     the searchable fields the caller may see: only these are matched and highlighted
 * @param references the reference fields whose target's name the caller may see ({@code company} on a contact:
 *                   the contact's company name is matched too)
 * @param filter     records must match it: the caller's record scope and their own filter, checked and with
 *                   values converted; it names only {@link SearchFields#FILTER_PROPERTIES} and indexed fields
 */
public record TypeScope(ObjectType type, List<String> fields, List<String> references, Filter filter) {
    public TypeScope {
        fields = List.copyOf(fields);
        references = List.copyOf(references);
    }
}

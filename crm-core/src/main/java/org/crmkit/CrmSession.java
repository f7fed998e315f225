package org.crmkit;

import java.util.function.Consumer;
import java.util.function.Function;
import org.crmkit.security.Principal;

/**
 * Operations on behalf of one principal. Each call runs in its own transaction unless it is made inside
 * {@link #inTransaction(Function)}, in which case all of them commit or roll back together.
 */
public interface CrmSession {
    Principal principal();

    /**
     * Searches the records the principal may see for what a person typed: every type with searchable fields, or
     * those the query names. See {@link org.crmkit.search.SearchQuery}. Bad queries are a
     * {@link org.crmkit.error.ValidationException} naming the part ({@code text}, {@code limit}, a filter path).
     */
    org.crmkit.search.SearchResult search(org.crmkit.search.SearchQuery query);

    /** The first page of hits for {@code text} across every type: {@code search(SearchQuery.of(text)).hits()}. */
    default java.util.List<org.crmkit.search.Hit> search(String text) {
        return search(org.crmkit.search.SearchQuery.of(text)).hits();
    }

    /** The records of one object type; throws {@link org.crmkit.error.SchemaException} for an unknown type. */
    RecordSet records(String objectType);

    /**
     * Runs {@code work} in one all-or-nothing transaction and returns its result. Everything done through the
     * session handed to {@code work} commits together when it returns, or rolls back when it throws (the
     * exception is rethrown). Nested calls join the outer transaction. A concurrent commit that invalidates
     * this transaction's writes makes the commit fail with {@link org.crmkit.error.ConflictException}.
     */
    <T> T inTransaction(Function<CrmSession, T> work);

    /** {@link #inTransaction(Function)} without a result. */
    default void inTransactionDo(Consumer<CrmSession> work) {
        inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }
}

package org.crmkit.observe;

/**
 * Told of every session operation when it completes: its object type, its name, its outcome and how long it took.
 * Registered with {@code crm.admin().observe(listener)} (or {@code Crm.builder().observer(listener)}). The
 * arguments are names only, never record data: {@code objectType} is a type of the schema (or {@link #ANY_TYPE} for
 * operations across types), {@code operation} one of a fixed set ({@code get}, {@code find}, {@code query},
 * {@code count}, {@code aggregate}, {@code search}, {@code timeline}, {@code create}, {@code update},
 * {@code delete}, {@code restore}, {@code purge}, {@code merge}, {@code import}, {@code upsert},
 * {@code find_duplicates}, {@code changes}, {@code transaction}), {@code outcome} {@link #SUCCESS}, the failure's
 * stable {@link org.crmkit.error.ErrorCode} name, or {@link #UNEXPECTED} for an exception that is not a
 * {@code CrmException} (a null argument, a bug).
 *
 * <p>Called on the thread that ran the operation, after it finished (for a write, after its commit or rollback);
 * keep it fast and never throw: an exception is logged and dropped. An operation inside
 * {@code inTransaction} is reported when it returns, and the transaction once more when it commits.
 */
@FunctionalInterface
public interface OperationListener {
    /** The outcome of an operation that returned normally. */
    String SUCCESS = "success";

    /** The outcome of an operation that threw something other than a {@code CrmException}. */
    String UNEXPECTED = "unexpected";

    /** The object type of an operation that is not about one type (a search across types, the change feed). */
    String ANY_TYPE = "*";

    /**
     * @param objectType    the object type, or {@link #ANY_TYPE}
     * @param operation     the operation's name
     * @param outcome       {@link #SUCCESS}, an {@link org.crmkit.error.ErrorCode} name, or {@link #UNEXPECTED}
     * @param durationNanos how long it ran, in nanoseconds
     */
    void completed(String objectType, String operation, String outcome, long durationNanos);
}

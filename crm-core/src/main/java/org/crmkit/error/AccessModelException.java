package org.crmkit.error;

/**
 * A change to stored roles, the role hierarchy, user assignments, sharing rules or manual shares was refused;
 * {@link #problem()} says why and the message names the role, user, rule or field. Nothing was changed.
 */
public class AccessModelException extends CrmException {
    private static final long serialVersionUID = 1L;

    /** Why an access change was refused. */
    public enum Problem {
        /** A role, user, team or rule name that is blank, too long, or holds control characters or {@code :}. */
        INVALID_NAME,
        /** A built-in role's name ({@code admin}, {@code sales_rep}, ...): built-in roles are not stored. */
        RESERVED_NAME,
        /** No stored role of that name. */
        UNKNOWN_ROLE,
        /** No stored user of that id. */
        UNKNOWN_USER,
        /** No sharing rule of that name. */
        UNKNOWN_RULE,
        /** The parent would make the hierarchy a cycle. */
        HIERARCHY_CYCLE,
        /** Users, child roles or sharing rules still name the role. */
        ROLE_IN_USE,
        /** A sharing rule's filter names an unknown or hidden field, or a condition sharing rules cannot hold. */
        INVALID_FILTER,
        /** The grant itself is wrong (a manual share with a role, an unknown object type...). */
        INVALID_GRANT,
        /** Another change to the same role, user or rule committed first: read it again and retry. */
        CONCURRENT_CHANGE
    }

    private final Problem problem;
    private final String subject;

    public AccessModelException(Problem problem, String subject, String message) {
        super(problem == Problem.CONCURRENT_CHANGE ? ErrorCode.CONFLICT : ErrorCode.VALIDATION_FAILED,
                subject + ": " + message);
        this.problem = problem;
        this.subject = subject;
    }

    /** Why the change was refused. */
    public Problem problem() {
        return problem;
    }

    /** The role, user, rule or record the refused change was about. */
    public String subject() {
        return subject;
    }
}

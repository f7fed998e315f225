package org.crmkit.rest.internal;

/** Ends a request with a problem response. */
public final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    @SuppressWarnings("serial") // never serialized
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}

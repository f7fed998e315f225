package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.error.ValidationException;
import org.jspecify.annotations.Nullable;

/**
 * The query string of a list, read into the engine's {@link Query}, one parameter to one part of it:
 * {@code filter[path][op]=value} is a condition (all of them joined with and), {@code sort=-amount,name} the sort
 * keys, {@code limit} the page size, {@code cursor} the cursor of the previous page, {@code deleted} which records by
 * deletion state. The engine checks the paths (an unknown or hidden field is refused the same way) and the values;
 * this class only checks the syntax, and remembers which parameter each path came from so that field errors name it.
 */
public final class ListQuery {
    /** The longest path taken in a parameter. */
    static final int MAX_PATH = 200;
    private static final Pattern FILTER = Pattern.compile("filter\\[([^\\[\\]]*)\\](?:\\[([^\\[\\]]*)\\])?");
    private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final Query query;
    private final Map<String, String> parameterOfPath;

    private ListQuery(Query query, Map<String, String> parameterOfPath) {
        this.query = query;
        this.parameterOfPath = parameterOfPath;
    }

    public Query query() {
        return query;
    }

    /** The query parameter a path of an engine field error came from ({@code filter[amount][gt]}, {@code sort}). */
    public String parameterOf(String enginePath) {
        String p = parameterOfPath.get(enginePath);
        if (p != null) {
            return p;
        }
        return switch (enginePath) {
            case "after", "cursor" -> "cursor";
            case "limit" -> "limit";
            default -> "filter";
        };
    }

    /** Reads the parameters; a syntax error is a 400 problem naming the parameter. */
    public static ListQuery parse(Map<String, List<String>> params, int defaultLimit, int maxLimit, Json json) {
        List<Filter> conditions = new ArrayList<>();
        List<Sort> sorts = new ArrayList<>();
        Map<String, String> parameterOfPath = new HashMap<>();
        int limit = defaultLimit;
        String cursor = null;
        Query.Deleted deleted = Query.Deleted.EXCLUDE;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            Matcher m = FILTER.matcher(name);
            if (m.matches()) {
                String path = checkPath(name, m.group(1));
                String op = m.group(2) == null ? "eq" : m.group(2);
                try {
                    conditions
                            .add(Operators.apply(name, Filters.where(path), op, List.<@Nullable Object>copyOf(values)));
                } catch (ValidationException v) {
                    throw new ProblemException(Problem.badRequest(name, v.errors().get(0).message()));
                }
                parameterOfPath.putIfAbsent(path, name);
                continue;
            }
            switch (name) {
                case "sort" -> {
                    for (String key : single(name, values).split(",", -1)) {
                        boolean desc = key.startsWith("-");
                        String path = checkPath(name, desc ? key.substring(1) : key);
                        sorts.add(desc ? Sort.desc(path) : Sort.asc(path));
                        parameterOfPath.putIfAbsent(path, "sort");
                    }
                }
                case "limit" -> limit = limit(single(name, values), maxLimit);
                case "cursor" -> cursor = single(name, values);
                case "deleted" -> deleted = deleted(single(name, values));
                case "where" -> {
                    List<String> paths = new ArrayList<>();
                    try {
                        conditions.add(WhereFilter.of(json.readObject(single(name, values).getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)), paths));
                    } catch (ProblemException p) {
                        throw p.problem().status() == 400 && p.problem().errors().isEmpty()
                                ? new ProblemException(Problem.badRequest("where", "where must be a JSON object"))
                                : p;
                    } catch (ValidationException v) {
                        throw new ProblemException(Problem.badRequest("where", v.errors().get(0).message()));
                    }
                    paths.forEach(p -> parameterOfPath.putIfAbsent(p, "where"));
                }
                default -> throw new ProblemException(Problem.badRequest(abbreviate(name), "unknown query parameter '"
                        + abbreviate(name) + "': use filter[field][op], where, sort, limit, cursor or deleted"));
            }
        }
        Filter filter;
        try {
            filter = conditions.isEmpty() ? Filter.ALL
                    : conditions.size() == 1 ? conditions.get(0) : Filters.and(conditions.toArray(Filter[]::new));
        } catch (ValidationException v) {
            throw new ProblemException(Problem.badRequest("filter", v.errors().get(0).message()));
        }
        Query q = new Query(filter, sorts, limit, cursor, deleted);
        return new ListQuery(q, parameterOfPath);
    }

    private static String checkPath(String param, String path) {
        if (path.length() > MAX_PATH || !PATH.matcher(path).matches()) {
            throw new ProblemException(Problem.badRequest(abbreviate(param),
                    "not a field path: lower-case names joined by dots (as amount.currency)"));
        }
        return path;
    }

    private static String single(String param, List<String> values) {
        if (values.size() != 1) {
            throw new ProblemException(Problem.badRequest(param, param + " takes one value, not " + values.size()));
        }
        return values.get(0);
    }

    private static int limit(String text, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.badRequest("limit", "limit must be a whole number from 1 to " + max));
        }
        if (n < 1 || n > max) {
            throw new ProblemException(Problem.badRequest("limit", "limit must be from 1 to " + max + ", not " + n));
        }
        return n;
    }

    private static Query.Deleted deleted(String text) {
        try {
            return Query.Deleted.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badRequest("deleted", "deleted must be exclude, only or include"));
        }
    }

    /** A parameter name as echoed in an error: at most 60 characters, control characters replaced. */
    static String abbreviate(String text) {
        String t = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}

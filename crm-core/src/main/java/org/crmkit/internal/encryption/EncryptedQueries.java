package org.crmkit.internal.encryption;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Sort;
import org.crmkit.schema.Field;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jspecify.annotations.Nullable;

/**
 * What a query may do with an encrypted field, and the query's literals encrypted on their way to the storage. On a
 * deterministically encrypted field (also unique or indexed) {@code eq}, {@code ne}, {@code in} and
 * {@code isNull} work: their literals are encrypted as the stored values are. On a randomised one only
 * {@code isNull} does. Everything else (order comparisons, text matching, sorting, grouping, aggregating the
 * values) is refused with {@code UNSUPPORTED_OPERATION} naming the path: the query planner refuses it first, as the
 * caller sees the schema; this class refuses it again for queries the engine builds itself.
 */
public final class EncryptedQueries {
    private EncryptedQueries() {}

    /** The encrypted field a resolved path ends at, or null. */
    public static @Nullable Field encrypted(ResolvedPath p) {
        Field f = p.field();
        return f != null && p.part() == null && f.encrypted() && RecordCipher.ENCRYPTABLE.contains(f.type()) ? f
                : null;
    }

    /** Why an operation on an encrypted field is refused. */
    public static String refusal(Field f, String what) {
        return "cannot " + what + " " + f.name() + ": it is encrypted, so "
                + (RecordCipher.deterministic(f) ? "only eq, ne, in and isNull work on it"
                        : "only isNull works on it (eq, ne and in need it to be unique or indexed, which encrypts it "
                                + "deterministically)");
    }

    /** Whether a filter leaf may name an encrypted field. */
    public static boolean allowed(Filter leaf, Field f) {
        return switch (leaf) {
            case Filter.IsNull n -> true;
            case Filter.Compare c -> RecordCipher.deterministic(f) && (c.op() == Filter.Op.EQ
                    || c.op() == Filter.Op.NE);
            case Filter.In in -> RecordCipher.deterministic(f);
            default -> false;
        };
    }

    /** The filter with the literals of encrypted fields encrypted; refused when it asks what they cannot answer. */
    static Filter encrypt(String type, Filter filter, ResolvedPaths paths, FieldCipher cipher) {
        return switch (filter) {
            case Filter.And a -> new Filter.And(a.operands().stream().map(o -> encrypt(type, o, paths, cipher))
                    .toList());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(x -> encrypt(type, x, paths, cipher))
                    .toList());
            case Filter.Not n -> new Filter.Not(encrypt(type, n.operand(), paths, cipher));
            default -> leaf(type, filter, paths, cipher);
        };
    }

    private static Filter leaf(String type, Filter leaf, ResolvedPaths paths, FieldCipher cipher) {
        String path = path(leaf);
        if (path == null) {
            return leaf;
        }
        ResolvedPath p = paths.get(path);
        Field f = encrypted(p);
        if (f == null) {
            return leaf;
        }
        if (!allowed(leaf, f)) {
            throw refused(type, path, refusal(f, "filter on"));
        }
        return switch (leaf) {
            case Filter.Compare c -> new Filter.Compare(c.path(), c.op(), literal(p, f, c.value(), cipher));
            case Filter.In in -> {
                List<@Nullable Object> values = new ArrayList<>();
                for (Object v : in.values()) {
                    values.add(v == null ? null : literal(p, f, v, cipher));
                }
                yield new Filter.In(in.path(), values);
            }
            default -> leaf;
        };
    }

    private static Object literal(ResolvedPath p, Field f, Object value, FieldCipher cipher) {
        return value instanceof String s ? cipher.literal(p.ownerType(), f.name(), s) : value;
    }

    private static @Nullable String path(Filter leaf) {
        return switch (leaf) {
            case Filter.Compare c -> c.path();
            case Filter.In in -> in.path();
            case Filter.Between b -> b.path();
            case Filter.IsNull n -> n.path();
            case Filter.TextMatch t -> t.path();
            case Filter.SetMatch m -> m.path();
            default -> null;
        };
    }

    /** Refuses sort keys on encrypted fields. */
    static void checkSorts(String type, List<Sort> sorts, ResolvedPaths paths) {
        for (Sort s : sorts) {
            Field f = encrypted(paths.get(s.path()));
            if (f != null) {
                throw refused(type, s.path(), refusal(f, "sort by"));
            }
        }
    }

    /** Refuses group keys and metrics (other than a plain count) on encrypted fields. */
    static void checkAggregate(String type, List<String> groupBy, List<Metric> metrics, ResolvedPaths paths) {
        for (String g : groupBy) {
            Field f = encrypted(paths.get(g));
            if (f != null) {
                throw refused(type, g, refusal(f, "group by"));
            }
        }
        for (Metric m : metrics) {
            if (m.field() != null) {
                Field f = encrypted(paths.get(Objects.requireNonNull(m.field())));
                if (f != null) {
                    throw refused(type, m.field(), refusal(f, "aggregate"));
                }
            }
        }
    }

    private static ValidationException refused(String type, String path, String message) {
        return new ValidationException(type, new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, message));
    }
}

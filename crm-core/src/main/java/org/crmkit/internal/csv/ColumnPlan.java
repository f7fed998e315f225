package org.crmkit.internal.csv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.value.codec.Problems;
import org.crmkit.record.Address;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Which column of a CSV file goes to which field: the caller's explicit mappings first, then each other header
 * matched by name, then by label ({@link CellText#key}: case, accents, spaces and punctuation ignored), among the
 * fields the principal may write. Only writable targets are inferred, so a header naming a hidden field is as
 * unmatched as one naming nothing, and a file exported with its read-only columns ({@code id}, formulas) imports
 * without them. Explicit mappings are checked as the engine checks a write: a missing or hidden field is
 * {@code UNKNOWN_FIELD} in the same words, a field the principal cannot write {@code READ_ONLY}. All problems come
 * at once in one {@link ValidationException}, before any row is read.
 */
final class ColumnPlan {
    /**
     * Where a column goes: a field's value, a part of an address field, the currency of a money field
     * ({@code part} {@value #CURRENCY}), or {@code owner} / {@code team} ({@code field} null).
     */
    record Target(String name, @Nullable Field field, @Nullable String part) {
        String shown() {
            return part == null ? name : name + "." + part;
        }
    }

    static final String CURRENCY = "currency";
    private static final Set<String> SET_BY_CRMKIT = Set.of("id", "version", "created_at", "updated_at",
            "created_by", "updated_by", "deleted_at");
    private static final Map<String, List<String>> PART_WORDS = Map.of("street", List.of("street"),
            "city", List.of("city", "town"), "region", List.of("region", "state", "province", "county"),
            "postal_code", List.of("postal code", "zip", "zip code", "postcode"), "country", List.of("country"));

    private final List<String> headers;
    private final Map<Integer, Target> targets;

    private ColumnPlan(List<String> headers, Map<Integer, Target> targets) {
        this.headers = headers;
        this.targets = targets;
    }

    /** The plan for {@code headers}, or a {@link ValidationException} naming every problem. */
    static ColumnPlan of(ObjectType type, List<String> headers, Map<String, String> explicit, Set<String> ignored,
            WritableFields access, Set<String> creatingParents) {
        List<FieldError> errors = new ArrayList<>();
        Map<Integer, Target> targets = new TreeMap<>();
        Set<Integer> decided = new HashSet<>();
        explicit.forEach((header, target) -> {
            Integer at = column(headers, header, errors);
            Target t = resolve(type, target, access, creatingParents, errors);
            if (at != null) {
                decided.add(at);
                if (t != null) {
                    targets.put(at, t);
                }
            }
        });
        for (String header : ignored) {
            Integer at = column(headers, header, errors);
            if (at != null) {
                decided.add(at);
            }
        }
        Map<String, Target> inferred = inferable(type, access);
        for (int i = 0; i < headers.size(); i++) {
            Target t = inferred.get(CellText.key(headers.get(i)));
            if (t == null) {
                t = parentColumn(type, headers.get(i), access, creatingParents);
            }
            if (!decided.contains(i) && t != null) {
                targets.put(i, t);
            }
        }
        Map<String, Integer> first = new HashMap<>();
        targets.forEach((at, t) -> {
            Integer other = first.putIfAbsent(t.shown(), at);
            if (other != null) {
                errors.add(new FieldError(t.shown(), FieldErrorCode.NOT_UNIQUE, "columns '" + shown(headers.get(other))
                        + "' and '" + shown(headers.get(at)) + "' both go to " + t.shown()
                        + "; map one of them and ignore the other"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(type.name(), errors);
        }
        return new ColumnPlan(List.copyOf(headers), targets);
    }

    /** The index of the one column with this header (exactly, else by key), or null after an error. */
    private static @Nullable Integer column(List<String> headers, String header, List<FieldError> errors) {
        List<Integer> exact = new ArrayList<>();
        List<Integer> loose = new ArrayList<>();
        String key = CellText.key(header);
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).equals(CellText.strip(header))) {
                exact.add(i);
            } else if (!key.isEmpty() && CellText.key(headers.get(i)).equals(key)) {
                loose.add(i);
            }
        }
        List<Integer> found = exact.isEmpty() ? loose : exact;
        if (found.size() == 1) {
            return found.get(0);
        }
        errors.add(new FieldError(shown(header), FieldErrorCode.UNKNOWN_FIELD, found.isEmpty()
                ? "the file has no column '" + shown(header) + "'"
                : "the file has " + found.size() + " columns '" + shown(header) + "'"));
        return null;
    }

    /**
     * A header {@code <reference>.<field>} (as written, case aside) of a reference whose missing records the import
     * creates ({@link org.crmkit.record.ReferenceLookup#createMissing()}): a value of the record it creates, handed
     * to the engine as text under that name; null for any other header.
     */
    private static @Nullable Target parentColumn(ObjectType type, String header, WritableFields access,
            Set<String> creatingParents) {
        String h = CellText.strip(header).toLowerCase(java.util.Locale.ROOT);
        int dot = h.indexOf('.');
        if (dot <= 0 || dot == h.length() - 1 || !creatingParents.contains(h.substring(0, dot))) {
            return null;
        }
        Field f = type.findField(h.substring(0, dot)).filter(x -> access.canSee(x.name()) && access.canWrite(x))
                .orElse(null);
        return f == null ? null : new Target(f.name(), f, h.substring(dot + 1));
    }

    /** An explicit target, checked as a write of the field would be; null after an error. */
    private static @Nullable Target resolve(ObjectType type, String target, WritableFields access,
            Set<String> creatingParents, List<FieldError> errors) {
        String t = CellText.strip(target);
        if (t.equals("owner") || t.equals("team")) {
            if (access.canTransfer()) {
                return new Target(t, null, null);
            }
            errors.add(new FieldError(t, FieldErrorCode.READ_ONLY, "the principal may not set the " + t + " of "
                    + type.name() + " records (TRANSFER permission)"));
            return null;
        }
        if (SET_BY_CRMKIT.contains(t)) {
            errors.add(new FieldError(t, FieldErrorCode.READ_ONLY, t + " is set by CRMKit"));
            return null;
        }
        int dot = t.indexOf('.');
        String name = dot < 0 ? t : t.substring(0, dot);
        String part = dot < 0 ? null : t.substring(dot + 1);
        Field f = type.findField(name).filter(x -> access.canSee(x.name())).orElse(null);
        if (f == null) {
            errors.add(new FieldError(shown(name), FieldErrorCode.UNKNOWN_FIELD, type.name() + " has no field '"
                    + shown(name) + "'"));
            return null;
        }
        if (!access.canWrite(f)) {
            errors.add(new FieldError(f.name(), FieldErrorCode.READ_ONLY, f.name() + " cannot be written"
                    + (f.type() == FieldType.FORMULA ? ": formula fields are computed"
                            : f.isRollup() ? ": roll-up fields are kept by CRMKit" : " by this principal")));
            return null;
        }
        boolean partOk = part == null ? f.type() != FieldType.ADDRESS
                : f.type() == FieldType.ADDRESS ? Address.PARTS.contains(part)
                : f.type() == FieldType.CURRENCY ? part.equals(CURRENCY)
                : f.type() == FieldType.REFERENCE && creatingParents.contains(f.name()) && !part.isEmpty();
        if (!partOk) {
            errors.add(new FieldError(f.name(), FieldErrorCode.UNKNOWN_FIELD, part == null
                    ? f.name() + " is an address: map its parts (" + f.name() + ".street, ." + String.join(", .",
                            Address.PARTS.subList(1, Address.PARTS.size())) + ")"
                    : f.name() + " has no part '" + shown(part) + "'"));
            return null;
        }
        return new Target(f.name(), f, part);
    }

    /** The targets a header may name, by key: names first, then labels that only one target has. */
    private static Map<String, Target> inferable(ObjectType type, WritableFields access) {
        Map<String, Target> byName = new HashMap<>();
        Map<String, Target> byLabel = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        if (access.canTransfer()) {
            byName.put("owner", new Target("owner", null, null));
            byName.put("team", new Target("team", null, null));
        }
        for (Field f : type.fields()) {
            if (!access.canSee(f.name()) || !access.canWrite(f)) {
                continue;
            }
            if (f.type() == FieldType.ADDRESS) {
                for (String part : Address.PARTS) {
                    Target t = new Target(f.name(), f, part);
                    byName.put(CellText.key(f.name() + part), t);
                    for (String word : PART_WORDS.getOrDefault(part, List.of())) {
                        label(byLabel, ambiguous, CellText.key(f.label() + word), t);
                        label(byLabel, ambiguous, CellText.key(f.name() + word), t);
                        label(byLabel, ambiguous, CellText.key(word), t);
                    }
                }
                continue;
            }
            Target value = new Target(f.name(), f, null);
            byName.put(CellText.key(f.name()), value);
            label(byLabel, ambiguous, CellText.key(f.label()), value);
            if (f.type() == FieldType.CURRENCY) {
                Target code = new Target(f.name(), f, CURRENCY);
                byName.put(CellText.key(f.name() + CURRENCY), code);
                label(byLabel, ambiguous, CellText.key(f.label() + CURRENCY), code);
                label(byLabel, ambiguous, CellText.key(f.name() + "currencycode"), code);
            }
        }
        Map<String, Target> out = new HashMap<>(byLabel);
        out.putAll(byName);
        return out;
    }

    private static void label(Map<String, Target> byLabel, Set<String> ambiguous, String key, Target t) {
        if (key.isEmpty() || ambiguous.contains(key)) {
            return;
        }
        Target other = byLabel.putIfAbsent(key, t);
        if (other != null && !other.equals(t)) {
            byLabel.remove(key);
            ambiguous.add(key);
        }
    }

    private static String shown(String s) {
        return Problems.abbreviate(s);
    }

    int columnCount() {
        return headers.size();
    }

    List<String> headers() {
        return headers;
    }

    /** Where column {@code index} goes, or null when it is not imported. */
    @Nullable
    Target target(int index) {
        return targets.get(index);
    }

    /** Each imported header with its target, in file order. */
    Map<String, String> columns() {
        Map<String, String> out = new LinkedHashMap<>();
        targets.forEach((at, t) -> out.put(headers.get(at), t.shown()));
        return out;
    }

    /** The headers not imported, in file order; an empty header as {@code (column N)}. */
    List<String> ignoredColumns() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (!targets.containsKey(i)) {
                out.add(headers.get(i).isEmpty() ? "(column " + (i + 1) + ")" : headers.get(i));
            }
        }
        return out;
    }

    /** The header of the column a field's errors belong to (its value or amount column first), or null. */
    @Nullable
    String columnOf(String field) {
        String any = null;
        for (Map.Entry<Integer, Target> e : targets.entrySet()) {
            if (e.getValue().name().equals(field)) {
                if (e.getValue().part() == null) {
                    return headers.get(e.getKey());
                }
                any = any == null ? headers.get(e.getKey()) : any;
            }
        }
        return any;
    }
}

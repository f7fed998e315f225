package org.crmkit.internal.service;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.jspecify.annotations.Nullable;

/**
 * The values of one erasure (the subject's emails and phones, and those of its records) and how they leave what
 * the engine keeps: the change-log entries of erased records lose every value but {@code owner} and {@code team}
 * ({@link #blank}); other entries, job payloads and errors lose each occurrence of a value, compared without regard
 * to case ({@link #redact}): a value that is one of them becomes empty, text that quotes one has it replaced by
 * {@value #MARK}.
 */
final class SubjectRedaction {
    /** What replaces a value inside text. */
    static final String MARK = "[erased]";
    /** The fields kept in the entries of erased records: whose record it was, not who the person is. */
    private static final Set<String> KEPT = Set.of("owner", "team");

    private final List<String> needles;
    private final @Nullable Pattern pattern;

    SubjectRedaction(Collection<String> values) {
        Set<String> lower = new LinkedHashSet<>();
        for (String v : values) {
            if (!v.isBlank()) {
                lower.add(v.toLowerCase(Locale.ROOT));
            }
        }
        this.needles = lower.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.pattern = needles.isEmpty() ? null
                : Pattern.compile(needles.stream().map(Pattern::quote).collect(Collectors.joining("|")),
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The values, lower case, longest first. */
    List<String> needles() {
        return needles;
    }

    /**
     * The texts to ask a storage for: each value, and its JSON-escaped form where that differs (a value with a quote
     * or backslash is stored escaped).
     */
    List<String> searchTexts() {
        Set<String> out = new LinkedHashSet<>(needles);
        for (String n : needles) {
            out.add(new String(JsonStringEncoder.getInstance().quoteAsString(n)));
        }
        return List.copyOf(out);
    }

    /** Whether the text holds one of the values. */
    boolean mentions(@Nullable String text) {
        if (text == null || pattern == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String n : needles) {
            if (lower.contains(n)) {
                return true;
            }
        }
        return pattern.matcher(text).find();
    }

    /** Whether a field value holds one of the values (as text; a list in any element). */
    boolean mentionsValue(@Nullable Object value) {
        return switch (value) {
            case null -> false;
            case List<?> l -> l.stream().anyMatch(this::mentionsValue);
            default -> mentions(value.toString());
        };
    }

    /** Whether an entry's old or new values hold one of the values. */
    boolean mentions(ChangeLogEntry e) {
        return e.changes().stream().anyMatch(c -> mentionsValue(c.oldValue()) || mentionsValue(c.newValue()));
    }

    /** The text with every occurrence of a value replaced by {@value #MARK}. */
    String redactText(String text) {
        if (pattern == null) {
            return text;
        }
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(MARK));
    }

    /** A value without the subject's values: null when it is one, or is not text and holds one. */
    @Nullable
    Object redactValue(@Nullable Object value) {
        if (value == null || !mentionsValue(value)) {
            return value;
        }
        if (value instanceof String s) {
            return needles.contains(s.toLowerCase(Locale.ROOT)) ? null : redactText(s);
        }
        if (value instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
            List<Object> kept = new ArrayList<>();
            for (Object item : l) {
                Object r = redactValue(item);
                if (r != null) {
                    kept.add(r);
                }
            }
            return kept.isEmpty() ? null : List.copyOf(kept);
        }
        return null;
    }

    /** The changes of an entry of a record that is not erased, each value redacted. */
    List<FieldChange> redact(List<FieldChange> changes) {
        return changes.stream().map(c -> new FieldChange(c.field(), redactValue(c.oldValue()),
                redactValue(c.newValue()))).toList();
    }

    /** The changes of an entry of an erased record: the fields that changed, without any value but owner and team. */
    static List<FieldChange> blank(List<FieldChange> changes) {
        return changes.stream().map(c -> KEPT.contains(c.field()) ? c : new FieldChange(c.field(), null, null))
                .toList();
    }

    /** {@link #blank} on an entry. */
    static ChangeLogEntry blank(ChangeLogEntry e) {
        return withChanges(e, blank(e.changes()));
    }

    /** {@link #redact} on an entry. */
    ChangeLogEntry redact(ChangeLogEntry e) {
        return withChanges(e, redact(e.changes()));
    }

    static ChangeLogEntry withChanges(ChangeLogEntry e, List<FieldChange> changes) {
        return new ChangeLogEntry(e.sequence(), e.at(), e.principalId(), e.objectType(), e.recordId(), e.operation(),
                e.version(), changes, e.transactionId());
    }
}

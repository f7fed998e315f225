package org.crmkit.search;

import java.util.List;
import java.util.Objects;
import org.crmkit.annotations.Incubating;

/**
 * What matched in one field of a hit: the field's text and the matched stretches of it, so that a user interface
 * can mark them ({@link #marked(String, String)}).
 *
 * @param field the field's API name ({@code email}); for a searchable reference ({@code company}), the text is the
 *              name of the record it points at
 * @param text  the field's value as text
 * @param spans the matched stretches, in order, not overlapping
 */
@Incubating
public record Highlight(String field, String text, List<Span> spans) {
    /** Characters {@code start} (inclusive) to {@code end} (exclusive) of the text matched a term this way. */
    @Incubating
    public record Span(int start, int end, MatchKind kind) {
        public Span {
            Objects.requireNonNull(kind, "kind");
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("span " + start + ".." + end);
            }
        }
    }

    public Highlight {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(spans, "spans");
        spans = List.copyOf(spans);
        for (Span s : spans) {
            if (s.end() > text.length()) {
                throw new IllegalArgumentException("span " + s + " beyond the text of " + field);
            }
        }
    }

    /** The text with each matched stretch between {@code open} and {@code close}, e.g. {@code <em>} and {@code </em>}. */
    public String marked(String open, String close) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Span s : spans) {
            sb.append(text, at, s.start()).append(open).append(text, s.start(), s.end()).append(close);
            at = s.end();
        }
        return sb.append(text.substring(at)).toString();
    }
}

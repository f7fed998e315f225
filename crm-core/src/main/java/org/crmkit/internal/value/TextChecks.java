package org.crmkit.internal.value;

import org.jspecify.annotations.Nullable;

/** Character-level checks shared by every text-like value and by identifier checks. */
public final class TextChecks {
    private TextChecks() {}

    /**
     * The first character that cannot be stored portably (NUL and other C0/C1 controls except tab, and line
     * breaks where not allowed; unpaired surrogates), as a description, or null when the text is clean.
     */
    public static @Nullable String badCharacter(String text, boolean allowLineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "an unpaired surrogate at position " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "an unpaired surrogate at position " + i;
            }
            boolean lineBreak = c == '\n' || c == '\r';
            if (c == '\t' || (lineBreak && allowLineBreaks)) {
                continue;
            }
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                return String.format("control character U+%04X at position %d", (int) c, i);
            }
        }
        return null;
    }

    /** Length in code points, as databases count characters. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

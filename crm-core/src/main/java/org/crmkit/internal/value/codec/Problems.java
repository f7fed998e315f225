package org.crmkit.internal.value.codec;

import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.jspecify.annotations.Nullable;

/** Collects the errors of one field (or filter path), quoting the caller's input safely in their messages. */
public final class Problems {
    private final String name;
    private final List<FieldError> errors;

    /** Errors are added to {@code errors}, each named after {@code name}. */
    public Problems(String name, List<FieldError> errors) {
        this.name = name;
        this.errors = errors;
    }

    /** How many errors the list holds, so a codec reading several items can tell whether one failed. */
    int errorCount() {
        return errors.size();
    }

    /** Adds an error and returns null, so a codec can {@code return problems.fail(...)}. */
    public <T> @Nullable T fail(FieldErrorCode code, String message) {
        errors.add(new FieldError(name, code, message));
        return null;
    }

    /** Adds a {@link FieldErrorCode#WRONG_TYPE} error saying what was expected and what came. */
    public <T> @Nullable T wrongType(Object raw, String expected) {
        return fail(FieldErrorCode.WRONG_TYPE, "expected " + expected + ", got " + describe(raw));
    }

    /** The caller's text safe for a message: cut to 60 characters, control and bidi characters escaped. */
    public static String abbreviate(String s) {
        String cut = s.length() <= 60 ? s : s.substring(0, 57) + "...";
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < cut.length()
                    && Character.isLowSurrogate(cut.charAt(i + 1));
            if (paired) {
                out.append(c).append(cut.charAt(++i));
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff
                    || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The caller's value for a message: its Java type and its abbreviated text. */
    public static String describe(Object raw) {
        String text = String.valueOf(raw);
        return raw.getClass().getSimpleName() + " '" + abbreviate(text) + "'";
    }
}

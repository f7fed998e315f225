package org.crmkit.internal.value.codec;

import java.util.Locale;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.EmailAddresses;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Email addresses, stored in the normal form of {@link EmailAddresses}. */
final class EmailCodec implements FieldCodec {
    @Override
    public @Nullable String write(Field field, Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "an email address");
        }
        String s = cs.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        String normal = normalise(s);
        if (normal == null) {
            return p.fail(FieldErrorCode.INVALID_EMAIL, "'" + Problems.abbreviate(s) + "' is not an email address");
        }
        return normal;
    }

    /** A filter value in the normal form of addresses, so both forms of an IDN domain compare equal. */
    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        if (!(raw instanceof String given)) {
            return p.wrongType(raw, "text");
        }
        String s = given.strip();
        String normal = normalise(s);
        if (normal != null) {
            return normal;
        }
        String t = EmailAddresses.withUnicodeDomain(s);
        int at = t.lastIndexOf('@');
        return at < 0 ? t : t.substring(0, at) + t.substring(at).toLowerCase(Locale.ROOT);
    }

    private static @Nullable String normalise(String s) {
        return s.length() > 4 * EmailAddresses.MAX_LENGTH ? null : EmailAddresses.normalise(s);
    }
}

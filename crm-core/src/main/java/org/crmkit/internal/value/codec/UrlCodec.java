package org.crmkit.internal.value.codec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Absolute http(s) URLs; a bare host name such as {@code example.com} gets {@code https://}. */
final class UrlCodec implements FieldCodec {
    private static final int MAX_URL = 2048;
    private static final Pattern HOST_LIKE = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:\\d+)?(/.*)?");

    @Override
    public @Nullable String write(Field field, Object raw, Problems p) {
        String s = raw instanceof URI u ? u.toString() : raw instanceof CharSequence cs ? cs.toString().strip() : null;
        if (s == null) {
            return p.wrongType(raw, "a URL");
        }
        if (s.isEmpty()) {
            return null;
        }
        if (!s.contains("://") && HOST_LIKE.matcher(s).matches()) {
            s = "https://" + s;
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || s.length() > MAX_URL || TextChecks.badCharacter(s, false) != null) {
                return p.fail(FieldErrorCode.INVALID_URL, "'" + Problems.abbreviate(s) + "' is not an http(s) URL");
            }
            return s;
        } catch (URISyntaxException e) {
            return p.fail(FieldErrorCode.INVALID_URL, "'" + Problems.abbreviate(s) + "' is not a URL: "
                    + e.getReason());
        }
    }

    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        return TextCodec.plainText(raw, p);
    }
}

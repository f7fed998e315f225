package org.crmkit.internal.value;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Email addresses with internationalised local parts (RFC 6531) and domains (IDNA, through {@link IDN}).
 *
 * <p>An address is {@code local@domain}. The local part is one or more dot-separated atoms of the ASCII
 * {@code atext} characters of RFC 5322 and of letters, marks and digits of any script ({@code jörg},
 * {@code łukasz}, {@code søren}, {@code straße}, {@code ıșık}); quoted local parts, spaces and control or
 * formatting characters are refused; at most 64 bytes in UTF-8. The domain is a host name of at least two labels
 * whose ASCII form ({@link IDN#toASCII}) is at most 253 characters, each label letters, digits and inner hyphens,
 * the top-level label alphabetic or an {@code xn--} label. The whole address is at most 254 bytes with the domain
 * in ASCII form.
 *
 * <p><b>Normal form</b> (what records store): Unicode NFC; the local part as typed (case kept: RFC 5321 lets it be
 * case-sensitive); the domain lower case in its Unicode form (U-labels): {@code Jörg@XN--MLLER-KVA.DE} is stored
 * as {@code Jörg@müller.de}, {@code ada@example.xn--p1ai} as {@code ada@example.рф}. java.net.IDN implements
 * IDNA2003, which maps {@code ß} and final {@code ς} in domains to {@code ss} and {@code σ} where IDNA2008 keeps
 * them; so that no address silently changes its domain, a domain with {@code ß}, {@code ς} or a zero-width joiner
 * is refused unless written in its {@code xn--} form (which is then kept as written).
 */
public final class EmailAddresses {
    /** Longest address, in UTF-8 bytes with the domain in ASCII form (RFC 5321's 254). */
    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL = 64;
    private static final String ATEXT = "!#$%&'*+/=?^_`{|}~-";
    private static final Pattern ASCII_DOMAIN = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})");

    private EmailAddresses() {}

    /** The normal form of {@code text} when it is a valid address, else null. */
    public static @Nullable String normalise(String text) {
        String s = Normalizer.normalize(text.strip(), Normalizer.Form.NFC);
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return null;
        }
        String local = s.substring(0, at);
        if (!validLocal(local)) {
            return null;
        }
        String[] domain = domainForms(s.substring(at + 1));
        if (domain == null || local.getBytes(StandardCharsets.UTF_8).length + 1 + domain[0].length() > MAX_LENGTH) {
            return null;
        }
        return local + "@" + domain[1];
    }

    /**
     * {@code text} with the domain after its last {@code @} in normal form when that domain is valid (an
     * {@code xn--} domain in Unicode, lower case), else unchanged; for values compared with stored addresses
     * (filters, search terms), which need not be whole valid addresses.
     */
    public static String withUnicodeDomain(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0 || at == text.length() - 1) {
            return text;
        }
        String[] domain = domainForms(Normalizer.normalize(text.substring(at + 1), Normalizer.Form.NFC));
        return domain == null ? text : text.substring(0, at + 1) + domain[1];
    }

    private static boolean validLocal(String local) {
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL || local.startsWith(".")
                || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        return local.codePoints().allMatch(cp -> cp == '.' || isAtext(cp));
    }

    private static boolean isAtext(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                    || ATEXT.indexOf(cp) >= 0;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER ->
                true;
            default -> false;
        };
    }

    /** {ASCII form, normal (Unicode) form} of a domain, or null when it is not a valid host name. */
    private static String @Nullable [] domainForms(String domain) {
        if (domain.isEmpty() || domain.length() > 253 || domain.endsWith(".")
                || domain.codePoints().anyMatch(cp -> cp == 'ß' || cp == 'ς' || cp == 0x200c || cp == 0x200d)) {
            return null;
        }
        try {
            String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            if (ascii.length() > 253 || !ASCII_DOMAIN.matcher(ascii).matches()) {
                return null;
            }
            String unicode = Normalizer.normalize(IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES),
                    Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            if (!IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT).equals(ascii)) {
                return null;
            }
            return new String[] {ascii, unicode};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

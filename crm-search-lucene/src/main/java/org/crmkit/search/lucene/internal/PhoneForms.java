package org.crmkit.search.lucene.internal;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The digit strings a phone number is found by: all digits of its E.164 form ({@code 442079460958}), its national
 * number ({@code 2079460958}) and that with the national prefix ({@code 02079460958}); and every ending of four
 * digits or more (the last digits alone).
 */
final class PhoneForms {
    static final int MIN_SUFFIX = 4;
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    /**
     * The whole forms of a stored (E.164) number. E.164 is the country calling code (1 to 3 digits, no code a prefix
     * of another) and the national number, so no full parse is needed: the code is looked up, the national prefix
     * of its main region added (which is what makes indexing a million phones cheap).
     */
    Set<String> whole(String e164) {
        Set<String> out = new LinkedHashSet<>();
        String digits = digitsOf(e164);
        if (digits.isEmpty()) {
            return out;
        }
        out.add(digits);
        for (int len = 1; len <= 3 && len < digits.length(); len++) {
            int code = Integer.parseInt(digits.substring(0, len));
            if (callingCodes.contains(code)) {
                String national = digits.substring(len);
                out.add(national);
                String prefix = util.getNddPrefixForRegion(util.getRegionCodeForCountryCode(code), true);
                if (prefix != null && !prefix.isEmpty()) {
                    out.add(prefix + national);
                }
                break;
            }
        }
        return out;
    }

    private final Set<Integer> callingCodes = util.getSupportedCallingCodes();

    /** The digits of a number, in order ({@code +44 20 7946 0958}: {@code 442079460958}). */
    static String digitsOf(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Every ending of the number's digits from {@value #MIN_SUFFIX} digits on. */
    static Set<String> suffixes(String e164) {
        String digits = digitsOf(e164);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i + MIN_SUFFIX <= digits.length(); i++) {
            out.add(digits.substring(i));
        }
        return out;
    }
}

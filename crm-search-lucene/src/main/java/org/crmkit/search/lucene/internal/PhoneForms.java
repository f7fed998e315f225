package org.crmkit.search.lucene.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
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

    /** The whole forms of a stored (E.164) number. */
    Set<String> whole(String e164) {
        Set<String> out = new LinkedHashSet<>();
        String digits = e164.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            return out;
        }
        out.add(digits);
        try {
            Phonenumber.PhoneNumber n = util.parse(e164, "ZZ");
            String national = util.getNationalSignificantNumber(n);
            out.add(national);
            String region = util.getRegionCodeForNumber(n);
            String prefix = region == null ? null : util.getNddPrefixForRegion(region, true);
            if (prefix != null && !prefix.isEmpty()) {
                out.add(prefix + national);
            }
        } catch (NumberParseException e) {
            // stored phones are E.164; anything else is found by its digits alone
        }
        return out;
    }

    /** Every ending of the number's digits from {@value #MIN_SUFFIX} digits on. */
    static Set<String> suffixes(String e164) {
        String digits = e164.replaceAll("[^0-9]", "");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i + MIN_SUFFIX <= digits.length(); i++) {
            out.add(digits.substring(i));
        }
        return out;
    }
}

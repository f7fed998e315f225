package org.crmkit.internal.duplicate;

import java.util.Optional;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.MatchMethod;

/**
 * The built-in matching rules of the standard types, used while a type has none of its own; mode OFF, so that
 * {@code findDuplicates} and scans work out of the box and writes are unchanged until an administrator turns
 * checking on. Contact and lead: names fuzzy (with nicknames, swaps and sound-alikes), e-mail ignoring case, phones
 * in E.164; a match needs more than the names alone when the record holds more. Company: name without legal form,
 * domain and website.
 */
public final class StandardRules {
    private StandardRules() {}

    /** The built-in rules of {@code type}, if it is a standard type that has some. */
    public static Optional<DuplicateRules> of(String type) {
        return switch (type) {
            case "contact" -> Optional.of(person().field("mobile", MatchMethod.PHONE, 3).build());
            case "lead" -> Optional.of(person().field("company_name", MatchMethod.COMPANY_NAME, 1).build());
            case "company" -> Optional.of(DuplicateRules.builder().field("name", MatchMethod.COMPANY_NAME, 4)
                    .field("domain", MatchMethod.DOMAIN, 5).field("website", MatchMethod.DOMAIN, 4)
                    .field("phone", MatchMethod.PHONE, 2).threshold(0.8).minimumWeight(4).mode(DuplicateMode.OFF)
                    .build());
            default -> Optional.empty();
        };
    }

    private static DuplicateRules.Builder person() {
        return DuplicateRules.builder().field("first_name", MatchMethod.FUZZY_NAME, 2)
                .field("last_name", MatchMethod.FUZZY_NAME, 3).field("email", MatchMethod.EMAIL, 5)
                .field("phone", MatchMethod.PHONE, 3).threshold(0.8).minimumWeight(4).mode(DuplicateMode.OFF);
    }
}

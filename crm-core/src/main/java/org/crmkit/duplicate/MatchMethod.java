package org.crmkit.duplicate;

import java.util.Set;
import org.crmkit.schema.FieldType;

/**
 * How one field of a matching rule compares two values. Each method gives a similarity from 0 (different) to 1
 * (the same); {@link FieldMatch#weight()} says how much it counts. Each method fits some field types only, checked
 * when the rules are saved.
 */
public enum MatchMethod {
    /** The stored values are equal, as they are (case and accents count). */
    EXACT(Set.of(FieldType.TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL, FieldType.PICKLIST,
            FieldType.INTEGER, FieldType.DATE, FieldType.REFERENCE)),
    /** Equal after folding case, accents and runs of white space: {@code "José  Díaz"} and {@code "jose diaz"}. */
    FOLDED(Set.of(FieldType.TEXT, FieldType.EMAIL, FieldType.URL)),
    /** E-mail addresses equal ignoring case: {@code Ada@Example.com} and {@code ada@example.com}. */
    EMAIL(Set.of(FieldType.EMAIL, FieldType.TEXT)),
    /** Phone numbers equal in E.164 form, however they were typed ({@code 020 7946 0958}, {@code +44 20...}). */
    PHONE(Set.of(FieldType.PHONE)),
    /**
     * Personal names: folded equality (1), a common nickname ({@code Bill}, {@code William}: 0.9), a small edit
     * distance (one edit up to 4 letters, two above: 0.85) or the same Double Metaphone code (0.8); a name found in
     * another name field of the same rule (first and last name swapped) counts at 0.9 of that.
     */
    FUZZY_NAME(Set.of(FieldType.TEXT)),
    /** The same Double Metaphone code (primary or alternate): {@code Meyer} and {@code Maier}. */
    PHONETIC(Set.of(FieldType.TEXT)),
    /**
     * Company names equal after folding and without legal forms and punctuation ({@code "ACME, Inc."} and
     * {@code "Acme"}); one or two edits in a longer name count 0.85.
     */
    COMPANY_NAME(Set.of(FieldType.TEXT)),
    /**
     * Web domains equal without scheme, {@code www.} and path: {@code https://www.acme.com/about} and
     * {@code acme.com}; for an e-mail, its domain.
     */
    DOMAIN(Set.of(FieldType.TEXT, FieldType.URL, FieldType.EMAIL));

    private final Set<FieldType> fits;

    MatchMethod(Set<FieldType> fits) {
        this.fits = fits;
    }

    /** Whether this method can compare fields of {@code type}. */
    public boolean fits(FieldType type) {
        return fits.contains(type);
    }

    /** The field types this method compares. */
    public Set<FieldType> fieldTypes() {
        return fits;
    }
}

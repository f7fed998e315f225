package org.crmkit.schema;

/**
 * The type of a field, which fixes the Java type of its values (see {@link org.crmkit.record.Record#get}).
 */
public enum FieldType {
    /** Single-line text; {@link String}; {@link Field#maxLength()} defaults to 255. */
    TEXT,
    /** Multi-line text; {@link String}; up to 131,072 characters. */
    LONG_TEXT,
    /** Whole number; {@link Long}. */
    INTEGER,
    /** Exact decimal; {@link java.math.BigDecimal} with at most {@link Field#scale()} fractional digits. */
    DECIMAL,
    /** Amount with an ISO 4217 code; {@link org.crmkit.record.Money}. */
    CURRENCY,
    /** A percentage such as {@code 12.5}; {@link java.math.BigDecimal}. */
    PERCENT,
    /** {@link Boolean}. */
    BOOLEAN,
    /** Calendar date; {@link java.time.LocalDate}. */
    DATE,
    /** Instant in time, kept to the microsecond; {@link java.time.Instant}. */
    DATETIME,
    /**
     * Email address, internationalised ones included (RFC 6531 local parts such as {@code łukasz} or {@code ışık},
     * IDN domains); {@link String} in normal form: Unicode NFC, the local part as typed, the domain lower case in
     * Unicode ({@code Jörg@XN--MLLER-KVA.DE} is stored as {@code Jörg@müller.de}). Equality filters and unique
     * checks compare normal forms, and search finds an address by either form of its domain. Quoted local parts
     * are refused, and so is a domain with {@code ß} or final {@code ς} unless written in its {@code xn--} form
     * (java.net.IDN is IDNA2003, which would map them to {@code ss} and {@code σ}).
     */
    EMAIL,
    /** Phone number normalised to E.164 ({@code +442079460958}); {@link String}. */
    PHONE,
    /** Absolute http or https URL; {@link String}. */
    URL,
    /** One of a list of options; {@link String} (the option's value). */
    PICKLIST,
    /** Several of a list of options; {@code List<String>} in option order. */
    MULTI_PICKLIST,
    /** Lookup to one record of {@link Field#target()}; {@link java.util.UUID}. */
    REFERENCE,
    /** Many-to-many link to records of {@link Field#target()}; {@code List<UUID>}, kept by the engine. */
    RELATION,
    /** Read-only value computed by a CEL expression over the record; type {@link Field#resultType()}. */
    FORMULA,
    /** Structured postal address; {@link org.crmkit.record.Address}. */
    ADDRESS;

    /** Whether values of this type are text compared case-insensitively by contains / starts-with filters. */
    public boolean isText() {
        return switch (this) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, PICKLIST -> true;
            default -> false;
        };
    }

    /** Whether values of this type are numbers (currency compares by amount). */
    public boolean isNumeric() {
        return switch (this) {
            case INTEGER, DECIMAL, CURRENCY, PERCENT -> true;
            default -> false;
        };
    }
}

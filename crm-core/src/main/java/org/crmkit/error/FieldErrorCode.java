package org.crmkit.error;

/** What is wrong with one field value; stable, for programs. */
public enum FieldErrorCode {
    /** The object type has no field of that name. */
    UNKNOWN_FIELD,
    /** A required field is missing or blank. */
    REQUIRED,
    /** The value is of a type the field cannot take (a string for an integer, say). */
    WRONG_TYPE,
    /** The text is longer than the field allows. */
    TOO_LONG,
    /** A number is outside the field's range or too large to store. */
    OUT_OF_RANGE,
    /** A decimal has more fractional digits than the field keeps. */
    TOO_PRECISE,
    /** NaN or infinity. */
    NOT_A_NUMBER,
    /** The text holds a character that cannot be stored (NUL, other control characters). */
    INVALID_CHARACTER,
    /** Not an email address. */
    INVALID_EMAIL,
    /** Not a valid phone number for the region. */
    INVALID_PHONE,
    /** Not an absolute http(s) URL. */
    INVALID_URL,
    /** Not an ISO 4217 currency code. */
    INVALID_CURRENCY,
    /** Not one of the picklist's active options. */
    UNKNOWN_OPTION,
    /**
     * The referenced record does not exist (or the caller cannot see it); in an import that names it by a key
     * ({@link org.crmkit.record.ReferenceLookup}), no record the caller can see holds the key.
     */
    INVALID_REFERENCE,
    /** The value duplicates another record's value of a unique field. */
    NOT_UNIQUE,
    /** An imported row matches existing records under its type's duplicate rules in BLOCK mode (on the record). */
    DUPLICATE,
    /** The field cannot be written by this caller (system, formula, read-only). */
    READ_ONLY,
    /** The field is deprecated and takes no new values. */
    DEPRECATED,
    /** The deal stage does not belong to the deal's pipeline. */
    INVALID_STAGE,
    /** A record rule (CEL) failed. */
    RULE_VIOLATED,
    /**
     * A record rule (CEL) could not be evaluated on this write (an error such as a bad conversion, or it ran over
     * its evaluation budget); the write is refused.
     */
    RULE_FAILED,
    /** A query used the field in a way its type does not support. */
    UNSUPPORTED_OPERATION
}

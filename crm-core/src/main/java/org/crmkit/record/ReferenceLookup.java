package org.crmkit.record;

import java.util.Objects;

/**
 * How an import or upsert turns a row's value for a reference field into the record it references: by the
 * record's id ({@link #byId()}, what a row gives without a lookup), or by a unique field of the referenced type,
 * such as an external id ({@link #by(String)}), optionally creating the referenced record when none has the key
 * ({@link #createMissing()}). Given per reference field with {@link ImportOptions#resolve(String, ReferenceLookup)}.
 *
 * <pre>{@code
 * // contacts name their company by its ERP customer number; a company missing from the CRM is created,
 * // named from the row's "company.name" column
 * ImportResult r = contacts.importRecords("erp-contacts-2024-06", rows, ImportOptions.defaults()
 *         .resolve("company", ReferenceLookup.by("erp_number").createMissing()));
 * // a row: Map.of("last_name", "Lovelace", "company", "C-1042", "company.name", "Analytical Engines Ltd")
 * }</pre>
 *
 * <p>The lookup runs as the caller: a record outside the caller's scope, or soft-deleted, is not found. A key no
 * record the caller can see holds makes the row an error ({@code INVALID_REFERENCE} on the reference field),
 * unless {@link #createsMissing()}: then the record is created, once per key and batch, through the same create
 * path as {@link org.crmkit.RecordSet#create} (permission, validation, duplicate rules, change log, roll-ups), with
 * the key and the values the row gives in columns {@code <reference>.<field>}. Such dotted columns are used only to
 * create a missing record; of a reference not resolved by a lookup they are a row error.
 *
 * @param field          the unique field of the referenced type that rows give (an external id, say), or
 *                       {@value #ID} for the record's id
 * @param createsMissing whether a record is created for a key no record holds (not with {@link #byId()})
 */
public record ReferenceLookup(String field, boolean createsMissing) {
    /** The {@link #field()} of {@link #byId()}: rows give the referenced record's id. */
    public static final String ID = "id";

    public ReferenceLookup {
        Objects.requireNonNull(field, "field");
    }

    /** Rows give the referenced record's id (a {@link java.util.UUID} or its text): the default. */
    public static ReferenceLookup byId() {
        return new ReferenceLookup(ID, false);
    }

    /**
     * Rows give the value of {@code field}, a unique field (such as an {@link org.crmkit.schema.Field#externalId
     * external id}) of the referenced type; a key that no record holds is a row error.
     */
    public static ReferenceLookup by(String field) {
        Objects.requireNonNull(field, "field");
        return new ReferenceLookup(field, false);
    }

    /** This lookup, creating the referenced record when no record holds the key. */
    public ReferenceLookup createMissing() {
        return new ReferenceLookup(field, true);
    }

    /** Whether rows give the referenced record's id rather than a key. */
    public boolean isById() {
        return field.equals(ID);
    }
}

package org.crmkit.schema;

import org.crmkit.duplicate.DuplicateRules;
import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.Optional;

/**
 * The live schema of a {@code Crm}: read the current definitions, change them at run time. Every change is
 * checked (names, types, dependencies, existing data), applied by the storage, given a new
 * {@link #version()} and recorded in {@link #history()}. Changes are serialised; a change that loses a race
 * with another node fails with {@link org.crmkit.error.SchemaException.Problem#CONCURRENT_CHANGE}.
 */
public interface Schema {
    /** The current snapshot. */
    SchemaSnapshot snapshot();

    default long version() {
        return snapshot().version();
    }

    /** The object type; throws {@link org.crmkit.error.SchemaException} when unknown. */
    ObjectType objectType(String name);

    Optional<ObjectType> findObjectType(String name);

    default List<ObjectType> objectTypes() {
        return snapshot().types();
    }

    /** The pipeline; throws {@link org.crmkit.error.SchemaException} when unknown. */
    Pipeline pipeline(String name);

    /** Adds a custom object type ({@link ObjectType#custom}). */
    ObjectType addObjectType(ObjectType type);

    /** Deletes a custom object type; refused for standard types, referenced types, or ones with records. */
    void deleteObjectType(String name, DataPolicy policy);

    /**
     * Switches encryption on for a field (text, long text, email, phone or url; the {@code Crm} needs a key provider).
     * New writes store ciphertext at once; values written before stay plaintext until
     * {@code crm.admin().encryption().rotate()} encrypts them (until then an {@code eq} on a unique or indexed field
     * does not match them). Encryption cannot be switched off again. See {@code docs/security.md}.
     */
    default ObjectType encryptField(String objectType, String field) {
        throw new UnsupportedOperationException("encryptField is not supported by " + getClass().getName());
    }

    /** Adds a field; a required field without a default is refused on a type that already has records. */
    ObjectType addField(String objectType, Field field);

    /** Changes the label of a field. */
    ObjectType relabelField(String objectType, String field, String label);

    /**
     * Replaces the options of a picklist or multi-picklist. Removing an option that records hold is refused:
     * deactivate it instead ({@link PicklistOption#deactivated()}).
     */
    ObjectType setPicklistOptions(String objectType, String field, List<PicklistOption> options);

    /** Marks a field deprecated: still readable, no longer writable, never required. */
    ObjectType deprecateField(String objectType, String field);

    /**
     * Deletes a field. System fields cannot be deleted; fields used by a rule, formula or roll-up neither; fields that
     * hold data only with {@link DataPolicy#DISCARD_DATA}.
     */
    ObjectType deleteField(String objectType, String field, DataPolicy policy);

    /**
     * Changes what a roll-up field ({@link Field#rollup}) summarises, for instance its filter, and recalculates
     * every record's value in the background ({@link org.crmkit.CrmAdmin#rollups()}). The new definition must give
     * values of the same type and scale; otherwise add a new roll-up field. CRMKit's schema engine implements it;
     * the default refuses.
     *
     * @throws org.crmkit.error.SchemaException when the field is not a roll-up or the definition does not fit
     */
    default ObjectType changeRollup(String objectType, String field, Rollup rollup) {
        throw new UnsupportedOperationException("changeRollup is not supported by " + getClass().getName());
    }

    /** The corporate currency and the exchange rates ({@link Currencies}). */
    default Currencies currencies() {
        return snapshot().currencies();
    }

    /**
     * Replaces the corporate currency and the exchange rates, checked: ISO 4217 codes, rates positive with at most 10
     * fractional digits, no rate for the corporate currency itself, at most one per currency and date, and every
     * currency a stored value is in (live or deleted records) still convertible. Roll-ups of currency fields are
     * recalculated in the background. CRMKit's schema engine implements it; the default refuses.
     *
     * @throws org.crmkit.error.SchemaException naming the problem
     */
    default Currencies setCurrencies(Currencies currencies) {
        throw new UnsupportedOperationException("setCurrencies is not supported by " + getClass().getName());
    }

    /** Adds a record rule; its expression is compiled and type-checked now. */
    ObjectType addRule(String objectType, ValidationRule rule);

    ObjectType removeRule(String objectType, String ruleName);

    /**
     * The matching rules duplicate detection uses for a type: those set with {@link #setDuplicateRules}, else the
     * built-in ones of contact, lead and company (mode OFF), else none (empty: the type is not checked).
     */
    java.util.Optional<org.crmkit.duplicate.DuplicateRules> duplicateRules(String objectType);

    /**
     * Sets the matching rules of a type, or with null goes back to the built-in ones. Checked now: each field exists,
     * is not a formula and fits its method; weights in (0, 100], threshold in (0, 1], no field twice
     * ({@link org.crmkit.error.SchemaException} naming the field and the problem). A schema change like any other:
     * versioned, persisted, in {@link #history()}.
     */
    ObjectType setDuplicateRules(String objectType,
            @Nullable DuplicateRules rules);

    /** Adds or replaces a pipeline; removing a stage that deals are in is refused. */
    Pipeline savePipeline(Pipeline pipeline);

    /** How a lead's fields fill the contact, company and deal it converts into. */
    default LeadMapping leadMapping() {
        return snapshot().leadMapping();
    }

    /**
     * Replaces the lead conversion mapping, after checking it against the current schema: each field it names must
     * exist, each target field be writable (not a formula) and take the lead field's type, and a target be one of
     * {@link LeadMapping#TARGETS}. A bad mapping is a {@link org.crmkit.error.SchemaException} naming the type and
     * field. Deleting a field an entry names is refused while the entry is there.
     */
    LeadMapping setLeadMapping(LeadMapping mapping);

    /** Every schema change since the storage was created, oldest first. */
    List<SchemaChangeEntry> history();
}

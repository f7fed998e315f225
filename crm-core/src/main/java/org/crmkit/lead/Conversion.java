package org.crmkit.lead;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How to convert a lead: which contact and company it becomes (existing ones linked by id, found by matching, or
 * new ones filled from the lead), whether a deal is created, and who owns the new records. Immutable; build it with
 * {@link #builder()}.
 *
 * <p>Contact: {@link Builder#linkContact} links an existing contact; {@link Builder#matchExistingContact} links the
 * first contact the principal may read whose email equals the lead's (ignoring case), else the best duplicate the
 * contact's duplicate rules find for the mapped values ({@link org.crmkit.RecordSet#findDuplicates}), else creates
 * one; by default a new contact is created. Company: {@link Builder#linkCompany} links an existing company;
 * {@link Builder#matchExistingCompany} links the first company the principal may read whose name equals the one the
 * mapping gives (ignoring case and accents), else the best duplicate of the company's rules (by default: the name
 * without its legal form, "Acme" for "ACME Corp."), else creates one; by default a new company is created when the
 * mapping gives it a name (the lead's {@code company_name}), and {@link Builder#noCompany} creates and links none. A
 * linked contact without a company gets the conversion's company. Matching sees only the records and fields the
 * principal may see, and the duplicate rules match whatever their mode.
 *
 * @param contactId             the contact to link, or null
 * @param matchExistingContact  whether to look for the contact by email before creating one
 * @param companyId             the company to link, or null
 * @param matchExistingCompany  whether to look for the company by name before creating one
 * @param withCompany           whether the conversion has a company at all
 * @param deal                  the deal to create, or null for none
 * @param owner                 the owner of the records created (a principal id; other than the caller it needs the
 *                              TRANSFER permission, as on create), or null for the caller
 */
public record Conversion(@Nullable UUID contactId, boolean matchExistingContact, @Nullable UUID companyId,
        boolean matchExistingCompany, boolean withCompany, @Nullable DealSpec deal, @Nullable String owner) {
    /** Refuses a company to link or match together with {@code withCompany} false. */
    public Conversion {
        if (!withCompany && (companyId != null || matchExistingCompany)) {
            throw new IllegalArgumentException("a conversion without a company cannot link or match one");
        }
    }

    /**
     * The deal a conversion creates, in a pipeline and stage, with a name and further values (which win over the
     * values the mapping copies from the lead).
     */
    public record DealSpec(String pipeline, String stage, String name, Map<String, Object> values) {
        public DealSpec {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** A new contact, a new company when the lead names one, no deal, owned by the caller. */
    public static Conversion defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this conversion. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.contactId = contactId;
        b.matchContact = matchExistingContact;
        b.companyId = companyId;
        b.matchCompany = matchExistingCompany;
        b.withCompany = withCompany;
        b.deal = deal;
        b.owner = owner;
        return b;
    }

    /** Builds a {@link Conversion}; a later choice for the contact or the company replaces an earlier one. */
    public static final class Builder {
        private @Nullable UUID contactId;
        private boolean matchContact;
        private @Nullable UUID companyId;
        private boolean matchCompany;
        private boolean withCompany = true;
        private @Nullable DealSpec deal;
        private @Nullable String owner;

        private Builder() {}

        /** Links this existing contact instead of creating one. */
        public Builder linkContact(UUID contactId) {
            this.contactId = Objects.requireNonNull(contactId, "contactId");
            this.matchContact = false;
            return this;
        }

        /**
         * Links a contact with the lead's email, or else the best duplicate of the contact's rules, if the principal may
         * read one; creates one otherwise.
         */
        public Builder matchExistingContact() {
            this.contactId = null;
            this.matchContact = true;
            return this;
        }

        /** Links this existing company instead of creating one. */
        public Builder linkCompany(UUID companyId) {
            this.companyId = Objects.requireNonNull(companyId, "companyId");
            this.matchCompany = false;
            this.withCompany = true;
            return this;
        }

        /**
         * Links a company with the lead's company name, or else the best duplicate of the company's rules, if the
         * principal may read one; creates one otherwise.
         */
        public Builder matchExistingCompany() {
            this.companyId = null;
            this.matchCompany = true;
            this.withCompany = true;
            return this;
        }

        /** Neither creates nor links a company. */
        public Builder noCompany() {
            this.companyId = null;
            this.matchCompany = false;
            this.withCompany = false;
            return this;
        }

        /** Creates a deal named {@code name} in {@code stage} of {@code pipeline}. */
        public Builder createDeal(String pipeline, String stage, String name) {
            return createDeal(pipeline, stage, name, Map.of());
        }

        /** Creates a deal with further values (amount, close date, custom fields...). */
        public Builder createDeal(String pipeline, String stage, String name, Map<String, ?> values) {
            Objects.requireNonNull(values, "values");
            this.deal = new DealSpec(pipeline, stage, name, new LinkedHashMap<String, Object>(values));
            return this;
        }

        /** Creates no deal (the default). */
        public Builder noDeal() {
            this.deal = null;
            return this;
        }

        /** Who owns the records created; other than the caller it needs the TRANSFER permission. */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Conversion build() {
            return new Conversion(contactId, matchContact, companyId, matchCompany, withCompany, deal, owner);
        }
    }
}

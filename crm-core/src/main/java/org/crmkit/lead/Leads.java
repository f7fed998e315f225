package org.crmkit.lead;

import java.util.UUID;

/**
 * The sales operations on leads, on behalf of a session's principal.
 *
 * <pre>{@code
 * ConversionResult r = session.leads().convert(leadId, Conversion.builder()
 *     .matchExistingCompany()
 *     .createDeal("sales", "qualification", "Acme - first order")
 *     .build());
 * Record contact = session.records("contact").get(r.contactId());
 * }</pre>
 */
public interface Leads {
    /**
     * Converts a lead, all or nothing, in one transaction (one change-log transaction id): links or creates the
     * contact and the company, creates the deal if asked, fills new records from the lead through the schema's
     * {@link org.crmkit.schema.LeadMapping}, marks the lead {@code converted} (with {@code converted_at} and the
     * links {@code converted_contact}, {@code converted_company}, {@code converted_deal}), and gives the contact
     * (and, where empty, the company and deal) to the lead's activities and tasks. Inside
     * {@link org.crmkit.CrmSession#inTransaction} it joins that transaction.
     *
     * <p>Every read and write is the principal's own: a lead missing, deleted or outside their scope is a
     * {@link org.crmkit.error.NotFoundException} as {@code get} gives, and so is a contact or company to link that
     * they cannot see; a missing permission or a field they may not write is an
     * {@link org.crmkit.error.AccessDeniedException} or {@link org.crmkit.error.ValidationException}, and nothing is
     * written. Activities and tasks outside their scope keep their links as they are; those of a type they may not
     * read are left alone. A lead converted already is a {@link org.crmkit.error.LeadConvertedException}; a
     * concurrent change of the lead a {@link org.crmkit.error.ConflictException}.
     */
    ConversionResult convert(UUID leadId, Conversion conversion);

    /** {@link #convert(UUID, Conversion)} with {@link Conversion#defaults()}: new contact and company, no deal. */
    default ConversionResult convert(UUID leadId) {
        return convert(leadId, Conversion.defaults());
    }
}

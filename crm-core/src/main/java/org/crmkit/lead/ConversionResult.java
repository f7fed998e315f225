package org.crmkit.lead;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a lead became.
 *
 * @param leadId         the converted lead
 * @param contactId      the contact, created or linked
 * @param contactCreated whether the contact was created (false: an existing one was linked)
 * @param companyId      the company, created or linked; null when there is none
 * @param companyCreated whether the company was created
 * @param dealId         the deal created; null when none was asked for
 * @param activityIds    the lead's activities that were given the contact
 * @param taskIds        the lead's tasks that were given the contact
 */
public record ConversionResult(UUID leadId, UUID contactId, boolean contactCreated, @Nullable UUID companyId,
        boolean companyCreated, @Nullable UUID dealId, List<UUID> activityIds, List<UUID> taskIds) {
    public ConversionResult {
        Objects.requireNonNull(leadId, "leadId");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(activityIds, "activityIds");
        Objects.requireNonNull(taskIds, "taskIds");
        activityIds = List.copyOf(activityIds);
        taskIds = List.copyOf(taskIds);
    }

    /** The company, if there is one. */
    public Optional<UUID> company() {
        return Optional.ofNullable(companyId);
    }

    /** The deal, if one was created. */
    public Optional<UUID> deal() {
        return Optional.ofNullable(dealId);
    }
}

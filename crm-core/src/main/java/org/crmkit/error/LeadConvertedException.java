package org.crmkit.error;

import java.util.UUID;

/** The lead was converted already; a lead converts once ({@link ErrorCode#ALREADY_CONVERTED}). */
public class LeadConvertedException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final UUID leadId;

    public LeadConvertedException(UUID leadId) {
        super(ErrorCode.ALREADY_CONVERTED, "lead " + leadId + " is converted already; a lead converts once");
        this.leadId = leadId;
    }

    public UUID leadId() {
        return leadId;
    }
}

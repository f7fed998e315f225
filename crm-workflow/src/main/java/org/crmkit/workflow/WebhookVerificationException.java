package org.crmkit.workflow;

import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;

/**
 * A webhook delivery that {@link WebhookVerifier} refuses: a header missing or malformed, a timestamp outside the
 * tolerance, or no signature that matches. Answer it with 400 or 401 and do not act on the body.
 */
public class WebhookVerificationException extends CrmException {
    private static final long serialVersionUID = 1L;

    public WebhookVerificationException(String message) {
        super(ErrorCode.ACCESS_DENIED, message);
    }
}

package org.crmkit.internal.lead;

import java.util.Map;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;

/**
 * Finds the existing contact or company a lead should link to, among the records the session's principal may read.
 * {@link RuleMatcher}: the exact match of {@link FoldingMatcher}, else the schema's duplicate rules.
 */
interface ConversionMatcher {
    /** The company the new company's {@code values} (as mapped from the lead) duplicate, if any. */
    Optional<Record> company(CrmSession session, Map<String, Object> values);

    /** The contact the new contact's {@code values} (as mapped from the lead) duplicate, if any. */
    Optional<Record> contact(CrmSession session, Map<String, Object> values);
}

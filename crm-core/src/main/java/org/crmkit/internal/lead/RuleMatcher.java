package org.crmkit.internal.lead;

import java.util.Map;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.record.Record;

/**
 * The {@link ConversionMatcher} of {@code leads().convert}: first the exact match of {@link FoldingMatcher} (a
 * company of the same folded name, a contact of the same email), else the best candidate of the type's duplicate
 * rules ({@code findDuplicates}: a company whose name differs only in its legal form, a contact whose name is a
 * nickname or typo of the lead's with the same phone), as the principal sees them. A type without rules gets the
 * exact match only.
 */
final class RuleMatcher implements ConversionMatcher {
    private final FoldingMatcher exact = new FoldingMatcher();

    @Override
    public Optional<Record> company(CrmSession session, Map<String, Object> values) {
        return exact.company(session, values).or(() -> best(session, "company", values));
    }

    @Override
    public Optional<Record> contact(CrmSession session, Map<String, Object> values) {
        return exact.contact(session, values).or(() -> best(session, "contact", values));
    }

    private static Optional<Record> best(CrmSession session, String type, Map<String, Object> values) {
        return session.records(type).findDuplicates(values).stream().findFirst().map(DuplicateCandidate::record);
    }
}

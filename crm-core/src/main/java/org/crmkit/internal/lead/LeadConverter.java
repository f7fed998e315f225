package org.crmkit.internal.lead;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.CrmSession;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.lead.Leads;
import org.crmkit.schema.SchemaSnapshot;

/** {@link Leads} of one session: each conversion is a {@link ConversionRun} in the session's transaction. */
public final class LeadConverter implements Leads {
    private final CrmSession session;
    private final Supplier<SchemaSnapshot> schema;
    private final Clock clock;
    private final ConversionMatcher matcher = new RuleMatcher();

    /**
     * @param session the principal's session; its records are read and written as that principal
     * @param schema  the current schema (for the lead mapping)
     * @param clock   the engine's clock (for {@code converted_at})
     */
    public LeadConverter(CrmSession session, Supplier<SchemaSnapshot> schema, Clock clock) {
        this.session = session;
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public ConversionResult convert(UUID leadId, Conversion conversion) {
        Objects.requireNonNull(leadId, "leadId");
        Objects.requireNonNull(conversion, "conversion");
        return session.inTransaction(s -> new ConversionRun(s, schema.get(), matcher, clock.instant(), conversion)
                .run(leadId));
    }
}

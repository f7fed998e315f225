package org.crmkit.internal.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.crmkit.error.SchemaException;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.schema.Field;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.junit.jupiter.api.Test;

/** A schema upgraded over a user's own field named like a conversion link refuses conversions by name. */
class ConversionLinksTest {
    @Test
    void theStandardSchemaHoldsTheLinks() {
        assertThatCode(() -> ConversionLinks.check(StandardSchema.create())).doesNotThrowAnyException();
    }

    @Test
    void aUsersFieldOfTheSameNameAndAnotherKindIsNamed() {
        // as SchemaBootstrap upgrades a stored schema: the first release, the user's field, then the upgrades it lacks
        SchemaSnapshot s = StandardSchema.firstRelease().apply(new SchemaChange.AddField("lead",
                Field.text("converted_deal")));
        for (SchemaChange.AddField u : StandardSchema.upgrades()) {
            if (s.findObjectType(u.objectType()).orElseThrow().findField(u.field().name()).isEmpty()) {
                s = s.apply(u);
            }
        }
        SchemaSnapshot upgraded = s;
        SchemaException e = catchThrowableOfType(SchemaException.class, () -> ConversionLinks.check(upgraded));
        assertThat(e.field()).contains("converted_deal");
        assertThat(e.getMessage()).contains("lead.converted_deal", "reference to deal", "is a text");
    }
}

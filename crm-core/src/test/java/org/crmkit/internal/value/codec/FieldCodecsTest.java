package org.crmkit.internal.value.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.crmkit.schema.FieldType;
import org.junit.jupiter.api.Test;

/** The codec registry is complete: a new field type without a codec fails here, not on a user's first write. */
class FieldCodecsTest {
    @Test
    void everyFieldTypeHasACodec() {
        FieldCodecs codecs = FieldCodecs.standard("US", "USD");
        for (FieldType type : FieldType.values()) {
            assertThat(codecs.codec(type)).as(type.name()).isNotNull();
        }
    }

    @Test
    void aRegistryMissingATypeFailsAtConstruction() {
        Map<FieldType, FieldCodec> codecs = new EnumMap<>(FieldType.class);
        for (FieldType type : FieldType.values()) {
            codecs.put(type, new TextCodec());
        }
        codecs.remove(FieldType.ADDRESS);
        codecs.remove(FieldType.PHONE);
        assertThatThrownBy(() -> new FieldCodecs(codecs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no field codec for [PHONE, ADDRESS]");
    }

    @Test
    void typesThatShareEverythingShareACodec() {
        FieldCodecs codecs = FieldCodecs.standard("US", "USD");
        assertThat(codecs.codec(FieldType.LONG_TEXT)).isSameAs(codecs.codec(FieldType.TEXT));
        assertThat(codecs.codec(FieldType.PERCENT)).isSameAs(codecs.codec(FieldType.DECIMAL));
        assertThat(codecs.codec(FieldType.CURRENCY)).isNotSameAs(codecs.codec(FieldType.DECIMAL));
    }
}

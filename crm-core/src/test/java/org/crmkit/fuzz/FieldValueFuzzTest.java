package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.internal.value.codec.FieldCodec;
import org.crmkit.internal.value.codec.FieldCodecs;
import org.crmkit.internal.value.codec.Problems;
import org.crmkit.schema.Field;

/**
 * Text written to a field of a record (a form, an import cell, an API call), read by the field's codec
 * ({@code internal.value.codec}, behind {@code ValueConverter}): phone numbers (libphonenumber, region GB), email
 * addresses (IDNA), URLs, picklist and multi-picklist options, and for good measure text, numbers, money, booleans,
 * dates and date-times. The codec returns the canonical value or null with errors naming the field, never throws;
 * the canonical value reads again as itself without errors; reading it ahead ({@code prepare}, as imports do on a
 * second core) changes nothing; and the filter reading of the same text does not throw either. Input: the first
 * byte picks the field ({@code '0'} phone, {@code '1'} email, {@code '2'} URL, {@code '3'} picklist, {@code '4'}
 * multi-picklist, {@code '5'} text, {@code '6'} integer, {@code '7'} decimal, {@code '8'} currency, {@code '9'}
 * percent, {@code ':'} boolean, {@code ';'} date, {@code '<'} date-time), the rest is the text.
 */
class FieldValueFuzzTest {
    private static final List<Field> FIELDS = List.of(Field.phone("phone"), Field.email("email"),
            Field.url("website"), Field.picklist("stage", "new", "contacted", "won", "lost"),
            Field.multiPicklist("tags", "vip", "partner", "press"), Field.text("name"), Field.integer("count"),
            Field.decimal("ratio"), Field.currency("amount"),
            Field.percent("probability").range(BigDecimal.ZERO, new BigDecimal(100)), Field.bool("active"),
            Field.date("close_date"), Field.datetime("seen_at"));

    private static final FieldCodecs CODECS = FieldCodecs.standard("GB", "EUR");
    private static final FieldCodecs PREPARING = FieldCodecs.standard("GB", "EUR");

    @FuzzTest
    void fieldValue(byte[] data) {
        Field field = FIELDS.get(FuzzInput.choice(data, FIELDS.size()));
        String text = FuzzInput.rest(data);
        FieldCodec codec = CODECS.codec(field.type());

        List<FieldError> errors = new ArrayList<>();
        Object value = codec.write(field, text, new Problems(field.name(), errors));
        for (FieldError e : errors) {
            assertThat(e.field()).isEqualTo(field.name());
            assertThat(e.message()).isNotBlank();
        }
        if (value != null) {
            assertThat(errors).isEmpty();
            List<FieldError> again = new ArrayList<>();
            assertThat(codec.write(field, value, new Problems(field.name(), again))).as("%s read again", value)
                    .isEqualTo(value);
            assertThat(again).as("%s read again", value).isEmpty();
        }

        FieldCodec preparing = PREPARING.codec(field.type());
        preparing.prepare(field, text);
        List<FieldError> preparedErrors = new ArrayList<>();
        assertThat(preparing.write(field, text, new Problems(field.name(), preparedErrors))).isEqualTo(value);
        assertThat(preparedErrors).isEqualTo(errors);
        preparing.forgetPrepared();

        codec.filter(field.name(), field, text, new Problems(field.name(), new ArrayList<>()));
    }
}

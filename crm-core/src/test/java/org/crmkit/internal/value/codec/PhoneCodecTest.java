package org.crmkit.internal.value.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.schema.Field;
import org.junit.jupiter.api.Test;

/** What {@link PhoneCodec#prepare} remembers: the numbers that read, within a bound, until forgotten. */
class PhoneCodecTest {
    private final PhoneCodec codec = new PhoneCodec("US");
    private final Field phone = Field.phone("p");

    @Test
    void onlyNumbersThatReadAreRememberedAndAWriteUsesThem() {
        codec.prepare(phone, "(415) 555-0132");
        codec.prepare(phone, "+44 20 7946 0958");
        codec.prepare(phone, "not a number");
        codec.prepare(phone, 42L);
        assertThat(codec.remembered()).isEqualTo(2);
        List<FieldError> errors = new ArrayList<>();
        assertThat(codec.write(phone, " (415) 555-0132 ", new Problems("p", errors))).isEqualTo("+14155550132");
        assertThat(errors).isEmpty();
        codec.forgetPrepared();
        assertThat(codec.remembered()).isZero();
    }

    @Test
    void itRemembersAtMostItsBound() {
        for (int i = 0; i <= PhoneCodec.PREPARED; i++) {
            codec.prepare(phone, String.format("+1 415 555 %04d", i % 10_000));
            codec.prepare(phone, String.format("+1 212 %03d %04d", 200 + i / 10_000, i % 10_000));
        }
        assertThat(codec.remembered()).isPositive().isLessThanOrEqualTo(PhoneCodec.PREPARED);
    }
}

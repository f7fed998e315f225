package org.crmkit.internal.value.codec;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.schema.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Phone numbers, read with libphonenumber in the engine's default region and stored in E.164. */
final class PhoneCodec implements FieldCodec {
    /** Numbers {@link #prepare} remembers at most before it forgets them all: a few batches of an import. */
    static final int PREPARED = 8_192;

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String region;
    /** Numbers read ahead ({@link #prepare}), as stripped, to their E.164 form; only numbers that read. */
    private final Map<String, String> prepared = new ConcurrentHashMap<>();

    /** {@code region}: ISO 3166 region used to read national numbers ("GB", "US"). */
    PhoneCodec(String region) {
        this.region = region;
    }

    /** Whether libphonenumber knows {@code region} (upper case, as "GB"). */
    static boolean isSupportedRegion(String region) {
        return PhoneNumberUtil.getInstance().getSupportedRegions().contains(region);
    }

    @Override
    public @Nullable String write(Field field, Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "a phone number");
        }
        String s = cs.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        String quoted = "'" + Problems.abbreviate(s) + "'";
        if (s.length() > 64 || TextChecks.badCharacter(s, false) != null) {
            return p.fail(FieldErrorCode.INVALID_PHONE, quoted + " is not a phone number");
        }
        String known = prepared.get(s);
        if (known != null) {
            return known;
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(s, region);
            if (!phones.isValidNumber(number)) {
                return p.fail(FieldErrorCode.INVALID_PHONE, quoted + " is not a valid phone number (default region "
                        + region + ")");
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return p.fail(FieldErrorCode.INVALID_PHONE, quoted + " is not a phone number: " + e.getMessage());
        }
    }

    /** Reads a number ahead (libphonenumber is most of an import's time): a later {@link #write} of it is a look-up. */
    @Override
    public void prepare(Field field, Object raw) {
        if (!(raw instanceof CharSequence cs)) {
            return;
        }
        String s = cs.toString().strip();
        if (s.isEmpty() || s.length() > 64 || TextChecks.badCharacter(s, false) != null || prepared.containsKey(s)) {
            return;
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(s, region);
            if (phones.isValidNumber(number)) {
                if (prepared.size() >= PREPARED) {
                    prepared.clear();
                }
                prepared.put(s, phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
            }
        } catch (NumberParseException e) {
            // not remembered: its write reports it
        }
    }

    /** How many numbers {@link #prepare} remembers now (for tests). */
    int remembered() {
        return prepared.size();
    }

    @Override
    public boolean prepares() {
        return true;
    }

    @Override
    public void forgetPrepared() {
        prepared.clear();
    }

    /** A filter value in E.164 when it is a valid number, else as given (so partial numbers still compare). */
    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        if (!(raw instanceof String s)) {
            return p.wrongType(raw, "text");
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(s, region);
            return phones.isValidNumber(number) ? phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : s;
        } catch (NumberParseException e) {
            return s;
        }
    }
}

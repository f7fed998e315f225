package org.crmkit.internal.value.codec;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.crmkit.schema.FieldType;

/**
 * The registry of codecs, one per {@link FieldType} (as JDBI's {@code ColumnMappers} finds a mapper per Java type);
 * built by the engine with the settings codecs need, and complete: construction fails when a type has no codec.
 */
public final class FieldCodecs {
    private final Map<FieldType, FieldCodec> codecs;

    /**
     * A registry of exactly {@code codecs}.
     *
     * @throws IllegalArgumentException when a field type has no codec
     */
    public FieldCodecs(Map<FieldType, FieldCodec> codecs) {
        Set<FieldType> missing = EnumSet.allOf(FieldType.class);
        missing.removeAll(codecs.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no field codec for " + missing);
        }
        this.codecs = new EnumMap<>(codecs);
    }

    /**
     * The codecs of every built-in field type.
     *
     * @param phoneRegion     ISO 3166 region used to read national phone numbers ("GB", "US")
     * @param defaultCurrency ISO 4217 code given to plain numbers written to currency fields
     */
    public static FieldCodecs standard(String phoneRegion, String defaultCurrency) {
        Map<FieldType, FieldCodec> codecs = new EnumMap<>(FieldType.class);
        TextCodec text = new TextCodec();
        DecimalCodec decimal = new DecimalCodec();
        codecs.put(FieldType.TEXT, text);
        codecs.put(FieldType.LONG_TEXT, text);
        codecs.put(FieldType.INTEGER, new IntegerCodec());
        codecs.put(FieldType.DECIMAL, decimal);
        codecs.put(FieldType.CURRENCY, new CurrencyCodec(defaultCurrency));
        codecs.put(FieldType.PERCENT, decimal);
        codecs.put(FieldType.BOOLEAN, new BooleanCodec());
        codecs.put(FieldType.DATE, new DateCodec());
        codecs.put(FieldType.DATETIME, new DateTimeCodec());
        codecs.put(FieldType.EMAIL, new EmailCodec());
        codecs.put(FieldType.PHONE, new PhoneCodec(phoneRegion));
        codecs.put(FieldType.URL, new UrlCodec());
        codecs.put(FieldType.PICKLIST, new PicklistCodec());
        codecs.put(FieldType.MULTI_PICKLIST, new MultiPicklistCodec());
        codecs.put(FieldType.REFERENCE, new ReferenceCodec());
        codecs.put(FieldType.RELATION, new RelationCodec());
        codecs.put(FieldType.FORMULA, new FormulaCodec());
        codecs.put(FieldType.ADDRESS, new AddressCodec());
        return new FieldCodecs(codecs);
    }

    /** Whether libphonenumber can read national numbers of {@code region} (upper case ISO 3166, as "GB"). */
    public static boolean isSupportedRegion(String region) {
        return PhoneCodec.isSupportedRegion(region);
    }

    /** Whether {@code code} is an ISO 4217 currency code, in upper case. */
    public static boolean isCurrencyCode(String code) {
        return CurrencyCodec.isCurrencyCode(code);
    }

    /** The codec of {@code type}; never absent, since the registry is complete. */
    public FieldCodec codec(FieldType type) {
        FieldCodec codec = codecs.get(type);
        if (codec == null) {
            throw new IllegalStateException("no field codec for " + type);
        }
        return codec;
    }
}

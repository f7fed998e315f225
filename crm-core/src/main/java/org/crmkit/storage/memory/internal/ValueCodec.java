package org.crmkit.storage.memory.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.jspecify.annotations.Nullable;

/**
 * Encodes one field value of any storable Java type into a {@link ByteSink} and back, exactly: texts as Latin-1 or
 * UTF-8 bytes, numbers as variable-length integers, a decimal with its scale, instants to the nanosecond. A value
 * of a type it does not know (or a text that UTF-8 cannot carry, such as a lone surrogate) is not encoded but kept
 * as the object itself in a side list, so every value round-trips whatever it is.
 */
final class ValueCodec {
    private static final int NULL = 0;
    private static final int LATIN1 = 1;
    private static final int UTF8 = 2;
    private static final int LONG = 3;
    private static final int TRUE = 4;
    private static final int FALSE = 5;
    private static final int DECIMAL = 6;
    private static final int BIG_DECIMAL = 7;
    private static final int MONEY = 8;
    private static final int DATE = 9;
    private static final int INSTANT = 10;
    private static final int UUID_TAG = 11;
    private static final int ADDRESS = 12;
    private static final int LIST = 13;
    private static final int OTHER = 14;

    private ValueCodec() {}

    /** Writes a value (null included); objects it cannot encode go to {@code extras}. */
    static void write(ByteSink out, @Nullable Object v, List<Object> extras) {
        switch (v) {
            case null -> out.put(NULL);
            case String s -> writeString(out, s, extras);
            case Long l -> {
                out.put(LONG);
                out.putSigned(l);
            }
            case Boolean b -> out.put(b ? TRUE : FALSE);
            case BigDecimal d -> writeDecimal(out, d);
            case Money m -> {
                out.put(MONEY);
                writeDecimal(out, m.amount());
                write(out, m.currency(), extras);
            }
            case LocalDate d -> {
                out.put(DATE);
                out.putSigned(d.toEpochDay());
            }
            case Instant i -> {
                out.put(INSTANT);
                out.putSigned(i.getEpochSecond());
                out.putVarLong(i.getNano());
            }
            case UUID u -> {
                out.put(UUID_TAG);
                out.putLong(u.getMostSignificantBits());
                out.putLong(u.getLeastSignificantBits());
            }
            case Address a -> {
                out.put(ADDRESS);
                write(out, a.street(), extras);
                write(out, a.city(), extras);
                write(out, a.region(), extras);
                write(out, a.postalCode(), extras);
                write(out, a.country(), extras);
            }
            case List<?> list -> {
                out.put(LIST);
                out.putVarLong(list.size());
                for (Object e : list) {
                    write(out, e, extras);
                }
            }
            default -> other(out, v, extras);
        }
    }

    /** Reads a value that {@link #write} wrote; {@code extras} are the objects it set aside. */
    static @Nullable Object read(ByteSource in, Object @Nullable [] extras) {
        int tag = in.get();
        return switch (tag) {
            case NULL -> null;
            case LATIN1 -> string(in, java.nio.charset.StandardCharsets.ISO_8859_1);
            case UTF8 -> string(in, StandardCharsets.UTF_8);
            case LONG -> in.getSigned();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case DECIMAL, BIG_DECIMAL -> readDecimal(in, tag);
            case MONEY -> new Money(readDecimal(in, in.get()),
                    (String) java.util.Objects.requireNonNull(read(in, extras), "currency"));
            case DATE -> LocalDate.ofEpochDay(in.getSigned());
            case INSTANT -> Instant.ofEpochSecond(in.getSigned(), in.getVarLong());
            case UUID_TAG -> new UUID(in.getLong(), in.getLong());
            case ADDRESS -> new Address((String) read(in, extras), (String) read(in, extras),
                    (String) read(in, extras), (String) read(in, extras), (String) read(in, extras));
            case LIST -> readList(in, extras);
            case OTHER -> java.util.Objects.requireNonNull(extras, "extras")[in.getVarInt()];
            default -> throw new IllegalStateException("unknown value tag " + tag + " at " + (in.pos - 1));
        };
    }

    private static void writeString(ByteSink out, String s, List<Object> extras) {
        int n = s.length();
        boolean latin1 = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                latin1 = false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    other(out, s, extras);
                    return;
                }
            }
        }
        byte[] bytes = s.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        out.put(latin1 ? LATIN1 : UTF8);
        out.putVarLong(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
    }

    private static String string(ByteSource in, java.nio.charset.Charset charset) {
        int len = in.getVarInt();
        String s = new String(in.buf, in.pos, len, charset);
        in.pos += len;
        return s;
    }

    private static void writeDecimal(ByteSink out, BigDecimal d) {
        BigInteger unscaled = d.unscaledValue();
        if (unscaled.bitLength() < 64) {
            out.put(DECIMAL);
            out.putSigned(unscaled.longValue());
        } else {
            out.put(BIG_DECIMAL);
            byte[] bytes = unscaled.toByteArray();
            out.putVarLong(bytes.length);
            out.putBytes(bytes, 0, bytes.length);
        }
        out.putSigned(d.scale());
    }

    private static BigDecimal readDecimal(ByteSource in, int tag) {
        if (tag == DECIMAL) {
            long unscaled = in.getSigned();
            return BigDecimal.valueOf(unscaled, Math.toIntExact(in.getSigned()));
        }
        if (tag != BIG_DECIMAL) {
            throw new IllegalStateException("not a decimal tag: " + tag);
        }
        int len = in.getVarInt();
        BigInteger unscaled = new BigInteger(in.buf, in.pos, len);
        in.pos += len;
        return new BigDecimal(unscaled, Math.toIntExact(in.getSigned()));
    }

    private static List<Object> readList(ByteSource in, Object @Nullable [] extras) {
        int n = in.getVarInt();
        Object[] items = new Object[n];
        boolean nulls = false;
        for (int i = 0; i < n; i++) {
            items[i] = read(in, extras);
            nulls |= items[i] == null;
        }
        return nulls ? Collections.unmodifiableList(new ArrayList<>(Arrays.asList(items))) : List.of(items);
    }

    private static void other(ByteSink out, Object v, List<Object> extras) {
        out.put(OTHER);
        out.putVarLong(extras.size());
        extras.add(v);
    }
}

package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.Storage;
import org.junit.jupiter.api.Test;

/**
 * Cursors signed with the right key and binding but holding values no page could have produced (what a leaked key
 * would allow): every cell is checked against its sort key's type and bounds, so they are refused before any
 * storage sees them. Also: the key is kept by the storage, so a second codec on it accepts the first one's cursors.
 */
class CursorCodecTest {
    private static final String BINDING = "query";
    private final Storage storage = org.crmkit.plugin.spi.Installation.storageOf(InMemoryStorage.create());
    private final CursorKey key = new CursorKey(storage, Clock.systemUTC());
    private final CursorCodec codec = new CursorCodec(key);
    private final SchemaSnapshot schema = new SchemaSnapshot(1, Map.of("t", ObjectType.custom("t", "T",
            Field.integer("n"), Field.decimal("d"), Field.bool("b"), Field.date("day"), Field.datetime("at"),
            Field.text("s"), Field.reference("r", "t"))), Map.of());

    private List<ResolvedPath> sorts(String... paths) {
        return Arrays.stream(paths).map(p -> ResolvedPath.resolve(schema, "t", p)).toList();
    }

    /** A cursor with these raw cells, signed as the codec signs. */
    private String signed(String cellsJson) throws Exception {
        byte[] payload = cellsJson.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
        mac.update("crmkit-cursor-v1".getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(BINDING.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));
    }

    @Test
    void validCursorsRoundTrip() throws Exception {
        UUID id = UUID.randomUUID();
        List<Object> values = new ArrayList<>(List.of(7L, new BigDecimal("-12.50"), true, LocalDate.of(2024, 2, 29),
                Instant.parse("2024-01-02T03:04:05.123456Z"), "text", id));
        values.add(null);
        values.add(id);
        List<ResolvedPath> sorts = sorts("n", "d", "b", "day", "at", "s", "r", "s");
        String cursor = codec.encode(BINDING, values);
        assertThat(codec.decode(BINDING, cursor, sorts)).isEqualTo(values);
        assertThat(signed("[[\"l\",\"7\"],[\"u\",\"" + id + "\"]]")).isNotNull();
        assertThat(codec.decode(BINDING, signed("[[\"l\",\"7\"],[\"u\",\"" + id + "\"]]"), sorts("n")))
                .containsExactly(7L, id);
        // the key lives in the storage: another codec on it (a restart, another node) accepts the cursor
        assertThat(new CursorCodec(new CursorKey(storage, Clock.systemUTC())).decode(BINDING, cursor, sorts))
                .isEqualTo(values);
        // a codec with another key, or another binding, does not
        assertThat(new CursorCodec(new CursorKey(org.crmkit.plugin.spi.Installation.storageOf(InMemoryStorage.create()),
                Clock.systemUTC()))
                .decode(BINDING, cursor, sorts)).isNull();
        assertThat(codec.decode(BINDING + "x", cursor, sorts)).isNull();
    }

    @Test
    void signedCursorsWithValuesOutOfTypeOrBoundsAreRefused() throws Exception {
        String id = "\"" + UUID.randomUUID() + "\"";
        List<Object[]> bad = List.of(
                new Object[] {"d", "[[\"d\",\"1E+999999999\"],[\"u\"," + id + "]]"},
                new Object[] {"d", "[[\"d\",\"1e5\"],[\"u\"," + id + "]]"},
                new Object[] {"d", "[[\"d\",\"" + "9".repeat(41) + "\"],[\"u\"," + id + "]]"},
                new Object[] {"d", "[[\"s\",\"12\"],[\"u\"," + id + "]]"},
                new Object[] {"n", "[[\"l\",\"99999999999999999999\"],[\"u\"," + id + "]]"},
                new Object[] {"n", "[[\"l\",\"1.5\"],[\"u\"," + id + "]]"},
                new Object[] {"n", "[[\"d\",\"1\"],[\"u\"," + id + "]]"},
                new Object[] {"b", "[[\"b\",\"yes\"],[\"u\"," + id + "]]"},
                new Object[] {"day", "[[\"D\",\"+99999-01-01\"],[\"u\"," + id + "]]"},
                new Object[] {"day", "[[\"D\",\"0000-01-01\"],[\"u\"," + id + "]]"},
                new Object[] {"at", "[[\"I\",\"+99999-01-01T00:00:00Z\"],[\"u\"," + id + "]]"},
                new Object[] {"r", "[[\"u\",\"1-2-3-4-5\"],[\"u\"," + id + "]]"},
                new Object[] {"s", "[[\"s\",\"a\\u0000b\"],[\"u\"," + id + "]]"},
                new Object[] {"s", "[[\"s\",\"x\"],[\"n\"]]"},
                new Object[] {"s", "[[\"s\",\"x\"]]"},
                new Object[] {"s", "[[\"s\",\"x\"],[\"u\"," + id + "],[\"s\",\"y\"]]"},
                new Object[] {"s", "[[\"s\",\"x\",\"y\"],[\"u\"," + id + "]]"},
                new Object[] {"s", "[[\"s\",1],[\"u\"," + id + "]]"},
                new Object[] {"s", "{\"a\":1}"});
        for (Object[] b : bad) {
            assertThat(codec.decode(BINDING, signed((String) b[1]), sorts((String) b[0]))).as((String) b[1]).isNull();
        }
        assertThat(codec.decode(BINDING, signed("[[\"s\",\"x\"],[\"u\"," + id + "]]"), sorts("s"))).hasSize(2);
    }
}

package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A cursor handed out by an earlier version still pages on: {@code golden/cursor/cursor-v1.txt} was encoded by the
 * codec of CRMKit 0.x under a fixed key, with a cell of every tag and a null, and must decode to the same position.
 */
class CursorCodecGoldenTest {
    private static final String BINDING = "golden-query";
    private static final String FILE = "golden/cursor/cursor-v1.txt";
    private static final UUID ID = UUID.fromString("0190a8e2-7c4b-7d3e-9f00-0123456789ab");
    private final SchemaSnapshot schema = new SchemaSnapshot(1, Map.of("t", ObjectType.custom("t", "T",
            Field.integer("n"), Field.decimal("d"), Field.bool("b"), Field.date("day"), Field.datetime("at"),
            Field.text("s"), Field.reference("r", "t"))), Map.of());

    /** A codec whose storage holds a fixed key, as a storage that was used by an earlier version does. */
    private static CursorCodec codec() {
        Storage storage = org.crmkit.plugin.spi.Installation.storageOf(InMemoryStorage.create());
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key) + "\"}";
        try (StorageTransaction tx = storage.begin()) {
            storage.extension(DocumentStore.class).orElseThrow().save(tx, CursorKey.KIND, CursorKey.NAME, 0, body,
                    Principal.SYSTEM_ID,
                    Instant.EPOCH);
            tx.commit();
        }
        return new CursorCodec(new CursorKey(storage, Clock.systemUTC()));
    }

    private static List<@Nullable Object> position() {
        List<@Nullable Object> values = new ArrayList<>(List.of(7L, new BigDecimal("-12.50"), true,
                LocalDate.of(2024, 2, 29), Instant.parse("2024-01-02T03:04:05.123456789Z"), "tëxt \"q\"", ID));
        values.add(null);
        values.add(ID);
        return values;
    }

    private List<ResolvedPath> sorts() {
        return Arrays.stream(new String[] {"n", "d", "b", "day", "at", "s", "r", "s"})
                .map(p -> ResolvedPath.resolve(schema, "t", p)).toList();
    }

    @Test
    void aCursorOfTheFirstFormatStillDecodes() throws IOException {
        String cursor;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FILE)) {
            assertThat(in).as(FILE).isNotNull();
            cursor = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertThat(codec().decode(BINDING, cursor, sorts())).isEqualTo(position());
        assertThat(codec().decode(BINDING, codec().encode(BINDING, position()), sorts())).isEqualTo(position());
    }

    @Test
    @EnabledIfSystemProperty(named = "crmkit.golden.write", matches = "true")
    void writeGoldenFile() throws IOException {
        Path file = Path.of("src/test/resources", FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, codec().encode(BINDING, position()) + "\n");
    }
}

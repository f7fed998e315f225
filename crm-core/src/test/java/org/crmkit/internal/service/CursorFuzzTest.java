package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.ValidationException;
import org.crmkit.fuzz.FuzzInput;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Query cursors ({@code Query.after(cursor)}), which callers hand back as they got them or not. {@link #cells}: the
 * cells of a cursor signed with the storage's own key (what a leaked key would allow), decoded by
 * {@link CursorCodec} for a choice of sort keys: refused (null) or one value per sort key of its type, then the id,
 * and encoding them again gives a cursor that decodes to the same values. Input: the first byte picks the sort keys
 * ({@code '0'} integer, {@code '1'} decimal, {@code '2'} boolean, {@code '3'} date, {@code '4'} date-time,
 * {@code '5'} text, {@code '6'} reference, {@code '7'} all of them), the rest is the JSON payload.
 * {@link #publicQuery}: any text as the cursor of a query through the public API: a page or a
 * {@link ValidationException} naming {@code cursor}.
 */
class CursorFuzzTest {
    private static final String BINDING = "fuzz-query";
    private static final SchemaSnapshot SCHEMA = new SchemaSnapshot(1, Map.of("t", ObjectType.custom("t", "T",
            Field.integer("n"), Field.decimal("d"), Field.bool("b"), Field.date("day"), Field.datetime("at"),
            Field.text("s"), Field.reference("r", "t"))), Map.of());
    private static final List<List<String>> SORTS = List.of(List.of("n"), List.of("d"), List.of("b"), List.of("day"),
            List.of("at"), List.of("s"), List.of("r"), List.of("n", "d", "b", "day", "at", "s", "r"));

    private static Crm crm;
    private static CrmSession rep;
    private static CursorKey key;
    private static CursorCodec codec;

    @BeforeAll
    static void start() {
        Storage storage = org.crmkit.plugin.spi.Installation.storageOf(InMemoryStorage.create());
        key = new CursorKey(storage, Clock.systemUTC());
        codec = new CursorCodec(key);
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        for (int i = 0; i < 3; i++) {
            rep.records("company").create(Map.of("name", "Acme " + i));
        }
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void cells(byte[] data) throws Exception {
        List<ResolvedPath> sorts = SORTS.get(FuzzInput.choice(data, SORTS.size())).stream()
                .map(p -> ResolvedPath.resolve(SCHEMA, "t", p)).toList();
        byte[] payload = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        List<@Nullable Object> values = codec.decode(BINDING, signed(payload), sorts);
        if (values == null) {
            return;
        }
        assertThat(values).hasSize(sorts.size() + 1);
        for (int i = 0; i < sorts.size(); i++) {
            Object v = values.get(i);
            if (v != null) {
                assertThat(v).isInstanceOf(javaType(sorts.get(i).valueType()));
            }
        }
        assertThat(values.get(sorts.size())).isInstanceOf(UUID.class);
        assertThat(codec.decode(BINDING, codec.encode(BINDING, values), sorts)).isEqualTo(values);
    }

    @FuzzTest
    void publicQuery(byte[] data) {
        Query query = Query.all().orderBy(Sort.desc("name")).limit(2).after(FuzzInput.text(data));
        try {
            rep.records("company").query(query);
        } catch (ValidationException e) {
            FuzzInput.refused(e);
            assertThat(e.hasErrorOn("cursor")).as("%s", e).isTrue();
        }
    }

    private static Class<?> javaType(FieldType type) {
        return switch (type) {
            case INTEGER -> Long.class;
            case DECIMAL -> BigDecimal.class;
            case BOOLEAN -> Boolean.class;
            case DATE -> LocalDate.class;
            case DATETIME -> Instant.class;
            case REFERENCE -> UUID.class;
            default -> String.class;
        };
    }

    /** {@code payload} signed as the codec signs, for {@link #BINDING}. */
    private static String signed(byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
        mac.update("crmkit-cursor-v1".getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(BINDING.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));
    }
}

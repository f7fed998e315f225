package org.crmkit.testkit.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSession;
import org.crmkit.CrmStorage;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * Base of every conformance contract: a storage provides {@link #newStorage()} (a fresh, empty storage per
 * test); the base builds a {@link Crm} on it on first use, offers helpers, and closes it after each test.
 *
 * <pre>{@code
 * class JdbcCrudTest extends CrudContract {
 *     @Override protected CrmStorage newStorage() { return JdbcStorage.h2InMemory(); }
 * }
 * }</pre>
 */
public abstract class ConformanceContract {
    /** The custom object type most contracts work on; see {@link #defineWidget()}. */
    protected static final String WIDGET = "widget";

    private @Nullable Crm crm;
    private @Nullable CrmStorage storage;

    /** A fresh, empty storage; called once per test (and again by {@link #reopen()}, through {@link #reopen(CrmStorage)}). */
    protected abstract CrmStorage newStorage();

    /**
     * A storage on the same data as {@code closed} (already closed), for the durability checks of durable
     * storages. The default returns null: not supported, those checks are skipped.
     */
    protected @Nullable CrmStorage reopen(CrmStorage closed) {
        return null;
    }

    /** Extra builder options for the storage under test; the default leaves the builder as it is. */
    protected CrmBuilder configure(CrmBuilder builder) {
        return builder;
    }

    /** The {@code Crm} of this test, built on first use. */
    protected final Crm crm() {
        if (crm == null) {
            storage = newStorage();
            crm = configure(Crm.builder()).storage(storage).build();
        }
        return crm;
    }

    /** The storage under test, through its SPI (for contracts that test SPI parts directly, such as the job queue). */
    protected final Storage storageUnderTest() {
        crm();
        return Installation.storageOf(java.util.Objects.requireNonNull(storage, "storage"));
    }

    /** The capabilities the storage under test declares. */
    protected final StorageCapabilities capabilities() {
        return storageUnderTest().capabilities();
    }

    /** Whether the storage under test offers the optional {@code feature}. */
    protected final boolean supports(StorageFeature feature) {
        return capabilities().supports(feature);
    }

    /**
     * Skips the rest of the test (a JUnit assumption) unless the storage under test offers {@code feature}: contracts
     * call it first in every test that needs an optional feature, and {@link OptionalFeaturesContract} checks that a
     * declined feature is refused with a typed error instead.
     */
    protected final void assumeSupported(StorageFeature feature) {
        Assumptions.assumeTrue(supports(feature), () -> capabilities().name() + " declines " + feature);
    }

    /**
     * Closes the current {@code Crm} and builds a new one on {@link #reopen(CrmStorage)}; null when the storage
     * cannot be reopened.
     */
    protected final @Nullable Crm reopen() {
        Crm old = crm();
        CrmStorage closedStorage = java.util.Objects.requireNonNull(storage, "storage"); // crm() above has one
        old.close();
        crm = null;
        CrmStorage again = reopen(closedStorage);
        if (again == null) {
            return null;
        }
        storage = again;
        crm = configure(Crm.builder()).storage(again).build();
        return crm;
    }

    @AfterEach
    final void closeCrm() {
        if (crm != null) {
            crm.close();
            crm = null;
        }
    }

    /** A session of the system principal (no access control). */
    protected final CrmSession system() {
        return crm().as(Principal.SYSTEM);
    }

    /** The records of {@code type} as the system principal sees them. */
    protected final RecordSet records(String type) {
        return system().records(type);
    }

    /**
     * Adds the custom type {@value #WIDGET}: {@code name} (text, required), {@code qty} (integer), {@code price}
     * (decimal), {@code color} (picklist red/green/blue), {@code tags} (multi-picklist a/b/c), {@code code}
     * (text, unique), {@code company} (reference to company), {@code notes} (text).
     */
    protected final ObjectType defineWidget() {
        return crm().schema().addObjectType(ObjectType.custom(WIDGET, "Widget",
                Field.text("name").required(true),
                Field.integer("qty"),
                Field.decimal("price"),
                Field.picklist("color", "red", "green", "blue"),
                Field.multiPicklist("tags", "a", "b", "c"),
                Field.text("code").unique(true),
                Field.reference("company", "company"),
                Field.text("notes")));
    }

    /** A map from alternating keys and values; null values allowed (they clear fields). */
    protected static Map<String, @Nullable Object> values(@Nullable Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, @Nullable Object> out = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** Every record of a query, following the cursor page by page. */
    protected static List<Record> all(RecordSet records, Query query) {
        List<Record> out = new ArrayList<>();
        Query q = query;
        while (true) {
            Page<Record> page = records.query(q);
            out.addAll(page.items());
            if (page.nextQuery().isEmpty()) {
                return out;
            }
            q = page.nextQuery().get();
        }
    }

    /** The ids of every record matching {@code filter}. */
    protected static List<UUID> ids(RecordSet records, Filter filter) {
        return all(records, Query.where(filter).limit(Query.MAX_LIMIT)).stream().map(Record::id).toList();
    }

    /** Every change-log entry after {@code sequence}. */
    protected final List<ChangeLogEntry> logAfter(long sequence) {
        List<ChangeLogEntry> out = new ArrayList<>();
        long after = sequence;
        while (true) {
            List<ChangeLogEntry> batch = crm().changeLog().read(after, 1000);
            if (batch.isEmpty()) {
                return out;
            }
            out.addAll(batch);
            after = batch.get(batch.size() - 1).sequence();
        }
    }

    /** Whether {@code e} reports {@code code} on {@code field}. */
    protected static boolean hasError(ValidationException e, String field, FieldErrorCode code) {
        return e.errors().stream().anyMatch(x -> x.field().equals(field) && x.code() == code);
    }

    /** A predicate for AssertJ's {@code matches}: the validation error names {@code code} on {@code field}. */
    protected static Predicate<Throwable> error(String field, FieldErrorCode code) {
        return t -> t instanceof ValidationException v && hasError(v, field, code);
    }

    /** A list of the given values (nulls allowed), for comparing aggregate groups. */
    protected static List<@Nullable Object> row(@Nullable Object... values) {
        return Arrays.asList(values);
    }
}

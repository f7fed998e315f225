package org.crmkit.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.storage.memory.InMemoryStorage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands each test a fresh in-memory {@link Crm} and closes it after the test. Tests
 * receive it, the {@link SettableClock} it runs on, and the loaded {@link SampleData.Loaded} as test-method or
 * constructor parameters; within one test all parameters of a type are the same object.
 *
 * <pre>{@code
 * class DealRulesTest {
 *     @RegisterExtension
 *     static CrmExtension crm = CrmExtension.inMemory().seeded(SampleData.small());
 *
 *     @Test
 *     void closesDeals(Crm crm, SettableClock clock, SampleData.Loaded data) { ... }
 * }
 * }</pre>
 *
 * <p>Also usable as {@code @ExtendWith(CrmExtension.class)} with the defaults: empty, clock at
 * {@link #DEFAULT_START}. Immutable: each option returns a new extension. With
 * {@code @TestInstance(PER_CLASS)}, a {@code Crm} resolved for the constructor lives as long as the test class.
 */
public final class CrmExtension implements ParameterResolver {
    /** Where the clock stands when a test starts, unless {@link #startingAt(Instant)} says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T09:00:00Z");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrmExtension.class);

    private final @Nullable SampleData seed;
    private final Instant start;
    private final UnaryOperator<CrmBuilder> customizer;

    /** The defaults; public for {@code @ExtendWith}. Prefer {@link #inMemory()}. */
    public CrmExtension() {
        this(null, DEFAULT_START, b -> b);
    }

    private CrmExtension(@Nullable SampleData seed, Instant start, UnaryOperator<CrmBuilder> customizer) {
        this.seed = seed;
        this.start = start;
        this.customizer = customizer;
    }

    /** An extension giving each test an empty in-memory {@code Crm}. */
    public static CrmExtension inMemory() {
        return new CrmExtension();
    }

    /** Loads {@code data} (as the system principal) into each test's {@code Crm} before the test gets it. */
    public CrmExtension seeded(SampleData data) {
        return new CrmExtension(Objects.requireNonNull(data, "data"), start, customizer);
    }

    /** Starts each test's clock at {@code instant}. */
    public CrmExtension startingAt(Instant instant) {
        return new CrmExtension(seed, Objects.requireNonNull(instant, "instant"), customizer);
    }

    /**
     * Further builder options (phone region, currency, id generator...). The storage and the clock are set by
     * the extension before {@code customizer} runs.
     */
    public CrmExtension configure(UnaryOperator<CrmBuilder> more) {
        Objects.requireNonNull(more, "more");
        UnaryOperator<CrmBuilder> before = customizer;
        return new CrmExtension(seed, start, b -> more.apply(before.apply(b)));
    }

    /** Resolves constructor parameters in the test method's context, so they share the test's {@code Crm}. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Crm.class || type == SettableClock.class
                || (type == SampleData.Loaded.class && seed != null);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture fixture = fixture(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Crm.class) {
            return fixture.crm;
        }
        if (type == SettableClock.class) {
            return fixture.clock;
        }
        if (type == SampleData.Loaded.class && fixture.data != null) {
            return fixture.data;
        }
        throw new ParameterResolutionException("CrmExtension cannot supply " + type.getName());
    }

    private Fixture fixture(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(Fixture.class, k -> open(), Fixture.class);
    }

    private Fixture open() {
        SettableClock clock = SettableClock.at(start);
        Crm crm = customizer.apply(Crm.builder().storage(InMemoryStorage.create()).clock(clock)).build();
        try {
            SampleData.Loaded data = seed == null ? null : seed.loadInto(crm);
            return new Fixture(crm, clock, data);
        } catch (RuntimeException e) {
            crm.close();
            throw e;
        }
    }

    /** One test's Crm; JUnit closes it with the store of the context that made it. */
    private record Fixture(Crm crm, SettableClock clock, SampleData.@Nullable Loaded data) implements AutoCloseable {
        @Override
        public void close() {
            crm.close();
        }
    }
}

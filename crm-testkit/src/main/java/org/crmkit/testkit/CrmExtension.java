package org.crmkit.testkit;

import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmWorkflow;
import org.crmkit.storage.memory.InMemoryStorage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that hands each test a fresh in-memory {@link Crm} and closes it after the test. Tests
 * receive it, the {@link SettableClock} it runs on, the loaded {@link SampleData.Loaded}, and, when the extension
 * was given a workflow, that workflow (as its own type, e.g. {@code Workflow}) and a {@link JobRunner} for it, as
 * test-method or constructor parameters; within one test all parameters of a type are the same object.
 *
 * <pre>{@code
 * class DealRulesTest {
 *     @RegisterExtension
 *     static CrmExtension crm = CrmExtension.inMemory().seeded(SampleData.small())
 *             .withWorkflow(() -> Workflow.builder().workers(0).build());
 *
 *     @Test
 *     void closesDeals(Crm crm, SettableClock clock, Workflow workflow, JobRunner jobs) {
 *         ...
 *         jobs.runUntilIdle();
 *     }
 * }
 * }</pre>
 *
 * <p>Also usable as {@code @ExtendWith(CrmExtension.class)} with the defaults: empty, clock at
 * {@link #DEFAULT_START}, no workflow. Immutable: each option returns a new extension. With
 * {@code @TestInstance(PER_CLASS)}, a {@code Crm} resolved for the constructor lives as long as the test class.
 *
 * <p>Works with JUnit 5.10 and later, and JUnit 6: it uses only the Jupiter API of 5.10, and the testkit leaves
 * the JUnit version to the project (the dependency is {@code provided}). Constructor parameters of a test class
 * with the default per-method lifecycle need JUnit 5.12 or later (before, JUnit resolves them outside the test, so
 * they could not be the test's {@code Crm}); older versions get a clear {@link ParameterResolutionException}.
 */
public final class CrmExtension implements ParameterResolver {
    /** Where the clock stands when a test starts, unless {@link #startingAt(Instant)} says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T09:00:00Z");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrmExtension.class);

    private final @Nullable SampleData seed;
    private final Instant start;
    private final UnaryOperator<CrmBuilder> customizer;
    private final @Nullable Supplier<? extends CrmWorkflow> workflow;

    /** The defaults; public for {@code @ExtendWith}. Prefer {@link #inMemory()}. */
    public CrmExtension() {
        this(null, DEFAULT_START, b -> b, null);
    }

    private CrmExtension(@Nullable SampleData seed, Instant start, UnaryOperator<CrmBuilder> customizer,
            @Nullable Supplier<? extends CrmWorkflow> workflow) {
        this.seed = seed;
        this.start = start;
        this.customizer = customizer;
        this.workflow = workflow;
    }

    /** An extension giving each test an empty in-memory {@code Crm}. */
    public static CrmExtension inMemory() {
        return new CrmExtension();
    }

    /** Loads {@code data} (as the system principal) into each test's {@code Crm} before the test gets it. */
    public CrmExtension seeded(SampleData data) {
        return new CrmExtension(Objects.requireNonNull(data, "data"), start, customizer, workflow);
    }

    /** Starts each test's clock at {@code instant}. */
    public CrmExtension startingAt(Instant instant) {
        return new CrmExtension(seed, Objects.requireNonNull(instant, "instant"), customizer, workflow);
    }

    /**
     * Further builder options (phone region, currency, id generator...). The storage and the clock are set by
     * the extension before {@code customizer} runs.
     */
    public CrmExtension configure(UnaryOperator<CrmBuilder> more) {
        Objects.requireNonNull(more, "more");
        UnaryOperator<CrmBuilder> before = customizer;
        return new CrmExtension(seed, start, b -> more.apply(before.apply(b)), workflow);
    }

    /**
     * Gives each test's {@code Crm} a workflow made by {@code factory} (a new one per test, e.g.
     * {@code () -> Workflow.builder().workers(0).build()}, so that jobs run only when the test runs them). Tests
     * receive it as a parameter of its type and a {@link JobRunner} that runs its jobs until none is due.
     */
    public CrmExtension withWorkflow(Supplier<? extends CrmWorkflow> factory) {
        return new CrmExtension(seed, start, customizer, Objects.requireNonNull(factory, "factory"));
    }

    /** Resolves constructor parameters in the test method's context, so they share the test's {@code Crm}. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        Objects.requireNonNull(rootContext, "rootContext");
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(context, "context");
        Class<?> type = parameter.getParameter().getType();
        return type == Crm.class || type == SettableClock.class
                || (type == SampleData.Loaded.class && seed != null)
                || (workflow != null && (type == JobRunner.class || CrmWorkflow.class.isAssignableFrom(type)));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(context, "context");
        Fixture fixture = fixture(parameter, context);
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
        if (fixture.workflow != null && type == JobRunner.class) {
            return JobRunner.of(fixture.workflow);
        }
        if (fixture.workflow != null && CrmWorkflow.class.isAssignableFrom(type)) {
            if (type.isInstance(fixture.workflow)) {
                return fixture.workflow;
            }
            throw new ParameterResolutionException("CrmExtension's workflow is a " + fixture.workflow.getClass()
                    .getName() + ", not a " + type.getName());
        }
        throw new ParameterResolutionException("CrmExtension cannot supply " + type.getName());
    }

    @SuppressWarnings("deprecation") // computeIfAbsent, its JUnit 6 name, is not in JUnit 5.10
    private Fixture fixture(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getDeclaringExecutable() instanceof Constructor<?> && context.getTestMethod().isEmpty()
                && context.getTestInstanceLifecycle()
                        .orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_METHOD) {
            // JUnit before 5.12 ignores getTestInstantiationExtensionContextScope: the test is not known yet
            throw new ParameterResolutionException("CrmExtension supplies constructor parameters of "
                    + context.getRequiredTestClass().getName() + " only on JUnit 5.12 or later; take "
                    + parameter.getParameter().getType().getSimpleName() + " as a test method parameter instead");
        }
        // getOrComputeIfAbsent stores what open() returns, which is never null
        return Objects.requireNonNull(
                context.getStore(NAMESPACE).getOrComputeIfAbsent(Fixture.class, k -> open(), Fixture.class));
    }

    private Fixture open() {
        SettableClock clock = SettableClock.at(start);
        CrmWorkflow engine = workflow == null ? null : Objects.requireNonNull(workflow.get(),
                "the workflow factory returned null");
        CrmBuilder builder = Crm.builder().storage(InMemoryStorage.create()).clock(clock);
        if (engine != null) {
            builder.workflow(engine);
        }
        Crm crm;
        try {
            crm = customizer.apply(builder).build();
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            throw e;
        }
        try {
            SampleData.Loaded data = seed == null ? null : seed.loadInto(crm);
            return new Fixture(crm, clock, data, engine);
        } catch (RuntimeException e) {
            crm.close();
            throw e;
        }
    }

    /**
     * One test's Crm; JUnit closes it with the store of the context that made it: JUnit 5.13 and later close an
     * {@code AutoCloseable}, earlier versions only a {@code CloseableResource}, so it is both (closed once).
     */
    @SuppressWarnings("deprecation") // CloseableResource: what JUnit before 5.13 closes
    private static final class Fixture implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        final Crm crm;
        final SettableClock clock;
        final SampleData.@Nullable Loaded data;
        final @Nullable CrmWorkflow workflow;
        private final AtomicBoolean closed = new AtomicBoolean();

        Fixture(Crm crm, SettableClock clock, SampleData.@Nullable Loaded data, @Nullable CrmWorkflow workflow) {
            this.crm = crm;
            this.clock = clock;
            this.data = data;
            this.workflow = workflow;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                crm.close(); // closes the workflow too
            }
        }
    }
}

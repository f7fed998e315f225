package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.crmkit.CrmSession;
import org.crmkit.error.ValidationException;
import org.crmkit.security.FieldAccess;
import org.crmkit.testkit.conformance.AccessMatrixContract.MatrixWorld;
import org.crmkit.testkit.conformance.AccessMatrixContract.Relationship;

/**
 * The paths of the {@link AccessMatrixContract}, for one viewer (one access level of {@code secret}): the read
 * paths ({@link MatrixReadPaths}) over the shared world and the write paths ({@link MatrixWritePaths}) on fresh
 * records, and the checks they share: what an answer may reveal, and that a record out of reach fails as a
 * missing one.
 */
final class MatrixPaths {
    /** One path: its name and the check of one relationship. */
    record PathCheck(String name, Consumer<Relationship> check) {}

    final CrmSession viewer;
    final MatrixWorld world;
    final FieldAccess level;
    final Supplier<CrmSession> system;
    private final boolean aggregates;
    /** Waits until the search index holds every committed change. */
    final Runnable indexed;
    private final Set<String> canariesShown = ConcurrentHashMap.newKeySet();

    MatrixPaths(CrmSession viewer, MatrixWorld world, FieldAccess level, Supplier<CrmSession> system,
            boolean aggregates, Runnable indexed) {
        this.viewer = viewer;
        this.indexed = indexed;
        this.aggregates = aggregates;
        this.world = world;
        this.level = level;
        this.system = system;
    }

    List<PathCheck> all() {
        List<PathCheck> out = new ArrayList<>(new MatrixReadPaths(this).all());
        out.addAll(new MatrixWritePaths(this).all());
        return out;
    }

    /** Skips the rest of a cell (a JUnit assumption) on a storage that declines aggregates. */
    void assumeAggregates() {
        org.junit.jupiter.api.Assumptions.assumeTrue(aggregates, "the storage declines aggregates");
    }

    /** The world's canaries some answer showed. */
    Set<String> canariesShown() {
        return Set.copyOf(canariesShown);
    }

    /**
     * What an answer about {@code r} may reveal: nothing of a record out of reach (its id, name or canary), and no
     * canary at all while {@code secret} is hidden. Notes the canaries it shows for the matrix's control check.
     */
    void revealsOnlyWhatItMay(String path, Relationship r, Object answer) {
        String text = String.valueOf(answer);
        if (!r.reads()) {
            assertThat(text).as("%s: the answer names a record out of reach (%s)", path, r)
                    .doesNotContain(world.record(r).id().toString())
                    .doesNotContain("matrix " + r.name());
        }
        for (Relationship other : world.records().keySet()) {
            String canary = world.canary(other);
            if (!other.reads() || level == FieldAccess.HIDDEN) {
                assertThat(text).as("%s: the answer holds the secret of %s (secret %s)", path, other, level)
                        .doesNotContain(canary);
            } else if (text.contains(canary)) {
                canariesShown.add(canary);
            }
        }
    }

    /** The same check for one extra value that must never show (a fresh record's canary, name or id). */
    static void doesNotReveal(String path, Object answer, String... secrets) {
        String text = String.valueOf(answer);
        for (String secret : secrets) {
            assertThat(text).as("%s reveals %s", path, secret).doesNotContain(secret);
        }
    }

    /**
     * A probe of a record out of reach fails exactly as the same probe of a record that does not exist: same
     * exception type, same message and field errors once the ids are masked.
     */
    static void failsAsMissing(String path, UUID outOfReach, Function<UUID, ?> probe) {
        Throwable hidden = catchThrowable(() -> probe.apply(outOfReach));
        UUID missingId = UUID.randomUUID();
        Throwable missing = catchThrowable(() -> probe.apply(missingId));
        assertThat(missing).as("%s of a missing record", path).isNotNull();
        assertThat(hidden).as("%s of a record out of reach", path).isNotNull()
                .hasSameClassAs(missing);
        assertThat(masked(hidden, outOfReach)).as("%s: the error of a record out of reach", path)
                .isEqualTo(masked(missing, missingId));
    }

    private static String masked(Throwable t, UUID id) {
        String details = t instanceof ValidationException v ? v.getMessage() + " " + v.errors() : t.getMessage();
        return String.valueOf(details).replace(id.toString(), "<id>");
    }
}

package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import static org.crmkit.query.Filters.where;
import java.util.stream.Stream;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.AccessAdmin;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Grantee;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.jspecify.annotations.Nullable;

/**
 * The access matrix: every public read and write path ({@link MatrixPaths}) × every relationship between the
 * caller and a record ({@link Relationship}) × every access level of a field ({@link FieldAccess}), generated as
 * one dynamic test per cell. Each cell asserts that the path returns, counts, matches and names exactly the
 * records the relationship reaches, that a record out of reach fails exactly as a missing one (same error, same
 * message but for the id), and that the value of a hidden field appears in no answer, export or error message,
 * while a visible one does appear (so the check can fail).
 *
 * <p>The world: the custom type {@value #TYPE} with a searchable {@code secret} text field, one record per
 * relationship (its name {@code matrix <relationship>}, its secret a canary unique to it), and one viewer
 * principal per field-access level, all with the same user id and team, whose role reaches its own and its
 * team's records and gives {@code secret} that access level. Write paths work on fresh records of their own.
 * The relationships ({@link #relationships()}) cover the record scope (owner, team, none), the role hierarchy (one
 * to three levels above the owner), sharing rules (with a role, a role above and its subordinates, a team) and
 * manual shares (with the user, with the team), at read and at read/write. Storages subclass it as they subclass
 * every contract.
 */
public abstract class AccessMatrixContract extends ConformanceContract {
    /** The object type the matrix works on. */
    protected static final String TYPE = "dossier";
    /** The object type the write paths work on, so that their fresh records stay out of the read paths' answers. */
    protected static final String WRITES = "dossier_draft";
    /** The viewer's user id. */
    protected static final String VIEWER = "viewer";
    /** The viewer's team. */
    protected static final String VIEWER_TEAM = "t-view";

    /**
     * How the viewer stands to a record: {@code arrange} creates a record in that relationship (as the system, with
     * the given values) and returns it; {@code reads} and {@code writes} say what the viewer may do with it.
     */
    public record Relationship(String name, boolean reads, boolean writes, Arranger arrange) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Creates a record of a type in a relationship to {@link #VIEWER}, as the system. */
    @FunctionalInterface
    public interface Arranger {
        Record create(CrmSession system, String type, Map<String, Object> values);
    }

    /** The search engine under test; the default, null, searches through the storage. */
    protected org.crmkit.@Nullable CrmSearch newSearch() {
        return null;
    }

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        org.crmkit.CrmSearch search = newSearch();
        return search == null ? builder : builder.search(search);
    }

    /** Waits until the search index holds every committed change. */
    private void indexed() {
        assertThat(crm().admin().searchIndex().awaitUpToDate(java.time.Duration.ofSeconds(30)))
                .as("index caught up").isTrue();
    }

    /**
     * The relationships: owner, same team, none; the viewer one, two and three levels above the owner in the role
     * hierarchy; shared by a sharing rule with the viewer's role (read), with a role above it and its subordinates
     * (read/write), with the viewer's team (read); shared manually with the viewer (read) and with the viewer's team
     * (read/write). The hierarchy and the rules are made by {@link #arrangeAccessModel()}.
     */
    protected List<Relationship> relationships() {
        return List.of(
                new Relationship("owner", true, true, owned(VIEWER, null)),
                new Relationship("same team", true, true, owned("colleague", VIEWER_TEAM)),
                new Relationship("none", false, false, owned("stranger", "t-far")),
                new Relationship("one level above the owner", true, true, owned("sub-1", "t-far")),
                new Relationship("two levels above the owner", true, true, owned("sub-2", "t-far")),
                new Relationship("three levels above the owner", true, true, owned("sub-3", "t-far")),
                new Relationship("shared by rule with the role", true, false, inRegion("rule-role")),
                new Relationship("shared by rule with a role above and subordinates", true, true,
                        inRegion("rule-above")),
                new Relationship("shared by rule with the team", true, false, inRegion("rule-team")),
                new Relationship("shared manually with the viewer", true, false,
                        shared(Grantee.user(VIEWER), ShareLevel.READ)),
                new Relationship("shared manually with the team", true, true,
                        shared(Grantee.team(VIEWER_TEAM), ShareLevel.READ_WRITE)));
    }

    private static Arranger owned(String owner, @Nullable String team) {
        return (system, type, v) -> {
            Map<String, Object> values = with(v, "owner", owner);
            return system.records(type).create(team == null ? values : with(values, "team", team));
        };
    }

    private static Arranger inRegion(String region) {
        return (system, type, v) -> owned("stranger", "t-far").create(system, type, with(v, "region", region));
    }

    private static Arranger shared(Grantee grantee, ShareLevel level) {
        return (system, type, v) -> {
            Record r = owned("stranger", "t-far").create(system, type, v);
            system.shares().share(type, r.id(), grantee, level);
            return r;
        };
    }

    /**
     * Stores the role hierarchy (top, above the viewer's stored role {@code viewer_pos}, above mid, above low,
     * above bottom, with users sub-1, sub-2 and sub-3 in the three roles below the viewer) and the sharing rules of
     * {@link #relationships()} on every type the matrix writes (records whose {@code region} names the rule).
     */
    protected void arrangeAccessModel() {
        AccessAdmin access = crm().admin().access();
        List<String> chain = List.of("top", "viewer_pos", "mid", "low", "bottom");
        for (String role : chain) {
            access.saveRole(Role.builder(role).build());
        }
        for (int i = 1; i < chain.size(); i++) {
            access.setParent(chain.get(i), chain.get(i - 1));
        }
        access.saveUser(new StoredUser(VIEWER, "viewer_pos", List.of(VIEWER_TEAM)));
        for (int i = 1; i <= 3; i++) {
            access.saveUser(new StoredUser("sub-" + i, chain.get(i + 1), List.of()));
        }
        for (String type : List.of(TYPE, WRITES, "lead")) {
            access.saveRule(new SharingRule(type + "_role", type, where("region").eq("rule-role"),
                    Grantee.role("viewer_pos"), ShareLevel.READ));
            access.saveRule(new SharingRule(type + "_above", type, where("region").eq("rule-above"),
                    Grantee.roleAndSubordinates("top"), ShareLevel.READ_WRITE));
            access.saveRule(new SharingRule(type + "_team", type, where("region").eq("rule-team"),
                    Grantee.team(VIEWER_TEAM), ShareLevel.READ));
        }
    }

    private static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(values);
        out.put(key, value);
        return out;
    }

    /** The viewer with {@code secret} at one access level. */
    protected final CrmSession viewer(FieldAccess secretAccess) {
        Role role = Role.builder("viewer_" + secretAccess.name().toLowerCase(java.util.Locale.ROOT))
                .grant(Role.ANY_TYPE, RecordScope.TEAM, Permission.values())
                .field(TYPE, "secret", secretAccess)
                .field(WRITES, "secret", secretAccess)
                .build();
        return crm().as(Principal.user(VIEWER, role).inTeams(VIEWER_TEAM));
    }

    /**
     * Adds {@value #TYPE} and {@value #WRITES}: name (required, searchable), secret (searchable), qty, code
     * (unique).
     */
    protected final void defineDossier() {
        for (String type : List.of(TYPE, WRITES)) {
            crm().schema().addObjectType(ObjectType.custom(type, type.equals(TYPE) ? "Dossier" : "Draft dossier",
                    Field.text("name").required(true).searchable(true),
                    Field.text("secret").searchable(true),
                    Field.integer("qty"),
                    Field.text("code").unique(true),
                    Field.text("region").indexed(true)));
        }
        crm().schema().addField("lead", Field.text("region").indexed(true));
    }

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        defineDossier();
        arrangeAccessModel();
        List<Relationship> relationships = relationships();
        MatrixWorld world = MatrixWorld.build(system(), relationships);
        boolean aggregates = supports(StorageFeature.AGGREGATES);
        List<DynamicNode> levels = new ArrayList<>();
        for (FieldAccess level : FieldAccess.values()) {
            CrmSession viewer = viewer(level);
            MatrixPaths paths = new MatrixPaths(viewer, world, level, this::system, aggregates, this::indexed);
            List<DynamicNode> byPath = new ArrayList<>();
            for (MatrixPaths.PathCheck path : paths.all()) {
                List<DynamicTest> cells = new ArrayList<>();
                for (Relationship relationship : relationships) {
                    cells.add(DynamicTest.dynamicTest(relationship.name(),
                            () -> path.check().accept(relationship)));
                }
                byPath.add(DynamicContainer.dynamicContainer(path.name(), cells));
            }
            byPath.add(DynamicTest.dynamicTest("the matrix saw every relationship's canary where it may",
                    () -> assertThat(paths.canariesShown()).as("canaries some path showed")
                            .containsExactlyInAnyOrderElementsOf(level == FieldAccess.HIDDEN ? List.of()
                                    : world.reachableCanaries())));
            levels.add(DynamicContainer.dynamicContainer("secret " + level, byPath));
        }
        return levels.stream();
    }

    /** The records of the read paths: one per relationship, with unique names and canaries. */
    public record MatrixWorld(Map<Relationship, Record> records, Map<Relationship, String> canaries) {
        static MatrixWorld build(CrmSession system, List<Relationship> relationships) {
            Map<Relationship, Record> records = new LinkedHashMap<>();
            Map<Relationship, String> canaries = new LinkedHashMap<>();
            int i = 0;
            for (Relationship r : relationships) {
                String canary = consonants() + "canary";
                records.put(r, r.arrange().create(system, TYPE, Map.of("name", "matrix " + r.name(), "secret",
                        canary, "qty", 1 << i, "code", "code-" + i)));
                canaries.put(r, canary);
                i++;
            }
            return new MatrixWorld(Map.copyOf(records), Map.copyOf(canaries));
        }

        Record record(Relationship r) {
            return java.util.Objects.requireNonNull(records.get(r), r.name());
        }

        /**
         * Twelve random consonants, so that no two canaries sound alike or share many letter trigrams: a search
         * engine matching by sound (Lucene's double metaphone) took "canary5f3a..." and "canary3f9c..." for one
         * word, and the search by one record's secret found another's.
         */
        private static String consonants() {
            String letters = "bcdfghjklmnprstv";
            StringBuilder out = new StringBuilder();
            for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 12).toCharArray()) {
                out.append(letters.charAt(Character.digit(c, 16)));
            }
            return out.toString();
        }

        String canary(Relationship r) {
            return java.util.Objects.requireNonNull(canaries.get(r), r.name());
        }

        List<UUID> reachableIds() {
            return records.entrySet().stream().filter(e -> e.getKey().reads()).map(e -> e.getValue().id())
                    .toList();
        }

        List<String> reachableCanaries() {
            return canaries.entrySet().stream().filter(e -> e.getKey().reads()).map(Map.Entry::getValue).toList();
        }

        List<String> allCanaries() {
            return List.copyOf(canaries.values());
        }
    }
}

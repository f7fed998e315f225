package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSearch;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every search backend does alike, with or without a search engine: which records a search finds (every term
 * in a searchable field the caller sees, or in a referenced record's name), access applied inside the search
 * (types, record scope, hidden fields; totals count only visible records; titles of visible name fields only; a
 * referenced record's name matched and highlighted only inside the caller's scope on it, also after it changes
 * hands), filters, paging, deletes and updates reflected, bad queries refused. Typo tolerance and ranking are the engines' own and tested there.
 *
 * <pre>{@code
 * class LuceneOnH2SearchTest extends SearchContract {
 *     @Override protected CrmStorage newStorage() { return TestDatabase.H2.newStorage(); }
 *     @Override protected CrmSearch newSearch() { return LuceneSearch.inMemory(); }
 * }
 * }</pre>
 *
 * <p>One class past 450 lines on purpose: its tests share one fixture (two owners' contacts, companies and deals in
 * and out of scope, hidden fields) and each wiring subclass runs it once per storage and engine pair; split by
 * topic, the same fixture would be built in two contracts and every backend would need twice the wiring classes.
 */
public abstract class SearchContract extends ConformanceContract {
    private static final String GADGET = "gadget";

    /** The engine under test, or null for search through the storage. */
    protected abstract @Nullable CrmSearch newSearch();

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        CrmSearch search = newSearch();
        return search == null ? builder : builder.search(search);
    }

    /** Waits until the index holds every committed change. */
    protected final void indexed() {
        assertThat(crm().admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).as("index caught up").isTrue();
    }

    protected final SearchResult search(CrmSession session, SearchQuery query) {
        indexed();
        return session.search(query);
    }

    protected static List<UUID> ids(SearchResult result) {
        return result.hits().stream().map(Hit::id).toList();
    }

    private Record contact(String first, String last, @Nullable Object... more) {
        Map<String, @Nullable Object> v = values(more);
        v.put("first_name", first);
        v.put("last_name", last);
        return records("contact").create(v);
    }

    // ---- what is found -------------------------------------------------------------------------------------

    @Test
    void findsRecordsByTheirSearchableFields() {
        Record ada = contact("Ada", "Lovelace", "email", "ada@analytical.org", "phone", "+44 20 7946 0958",
                "title", "Countess");
        Record charles = contact("Charles", "Babbage", "email", "charles@difference.org");
        Record company = records("company").create(values("name", "Analytical Engines"));

        assertThat(ids(search(system(), SearchQuery.of("Lovelace")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("babbage")))).containsExactly(charles.id());
        assertThat(ids(search(system(), SearchQuery.of("ada@analytical.org")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("7946 0958")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("countess")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("engines")))).containsExactly(company.id());

        SearchResult r = search(system(), SearchQuery.of("lovelace"));
        Hit hit = r.hits().get(0);
        assertThat(hit.objectType()).isEqualTo("contact");
        assertThat(hit.title()).isEqualTo("Ada Lovelace");
        assertThat(hit.version()).isEqualTo(ada.version());
        assertThat(r.total()).isEqualTo(1);
        assertThat(r.totalExact()).isTrue();
        assertThat(r.engine()).isEqualTo(crm().admin().searchIndex().engine());
        Highlight last = hit.highlights().stream().filter(h -> h.field().equals("last_name")).findFirst().orElseThrow();
        assertThat(last.text()).isEqualTo("Lovelace");
        assertThat(last.marked("[", "]")).isEqualTo("[Lovelace]");
    }

    @Test
    void internationalisedEmailsAreFoundInEitherFormOfTheirDomain() {
        Record jorg = contact("Jörg", "Müller", "email", "jörg@müller.de");
        Record ada = contact("Ada", "Lovelace", "email", "ada@example.xn--p1ai");
        contact("Other", "Person", "email", "jorg@mueller.de");
        assertThat(ids(search(system(), SearchQuery.of("jörg@müller.de")))).containsExactly(jorg.id());
        assertThat(ids(search(system(), SearchQuery.of("jörg@xn--mller-kva.de")))).containsExactly(jorg.id());
        assertThat(ids(search(system(), SearchQuery.of("JÖRG@XN--MLLER-KVA.DE")))).containsExactly(jorg.id());
        assertThat(ids(search(system(), SearchQuery.of("ada@example.рф")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("ada@example.xn--p1ai")))).containsExactly(ada.id());
    }

    @Test
    void everyTermMustMatchInAnyOrder() {
        Record ada = contact("Ada", "Lovelace");
        contact("Ada", "Byron");
        contact("Grace", "Lovelace");
        assertThat(search(system(), SearchQuery.of("lovelace ada")).hits().get(0).id()).isEqualTo(ada.id());
        assertThat(search(system(), SearchQuery.of("ada lovelace")).hits().get(0).id()).isEqualTo(ada.id());
        assertThat(search(system(), SearchQuery.of("lovelace")).total()).isEqualTo(2);
    }

    @Test
    void searchesOnlyTheNamedTypes() {
        Record contact = contact("Orion", "Starr");
        Record company = records("company").create(values("name", "Orion Freight"));
        assertThat(ids(search(system(), SearchQuery.of("orion")))).containsExactlyInAnyOrder(contact.id(),
                company.id());
        assertThat(ids(search(system(), SearchQuery.of("orion").types("company")))).containsExactly(company.id());
        assertThat(ids(records("contact").search("orion"))).containsExactly(contact.id());
    }

    @Test
    void recordsAreFoundByTheNameOfTheCompanyTheyReference() {
        Record acme = records("company").create(values("name", "Wombat Logistics"));
        Record ada = contact("Ada", "Lovelace", "company", acme.id());
        contact("Grace", "Hopper");
        assertThat(ids(search(system(), SearchQuery.of("wombat").types("contact")))).containsExactly(ada.id());
        assertThat(ids(search(system(), SearchQuery.of("ada wombat")))).contains(ada.id());
    }

    // ---- access --------------------------------------------------------------------------------------------

    @Test
    void theRecordScopeIsAppliedInsideTheSearchAndItsTotal() {
        Set<UUID> mine = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            mine.add(contact("Pat" + i, "Quimby", "owner", "u-1").id());
            if (i < 14) {
                contact("Sam" + i, "Quimby", "owner", "u-2");
            }
        }
        CrmSession rep = crm().as(Principal.user("u-1", Role.SALES_REP));
        List<UUID> seen = new ArrayList<>();
        SearchQuery q = SearchQuery.of("quimby").limit(10);
        for (int page = 0; page < 3; page++) {
            SearchResult r = search(rep, q.offset(page * 10));
            assertThat(r.total()).as("total of the rep's records").isEqualTo(23);
            seen.addAll(ids(r));
        }
        assertThat(seen).hasSize(23).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(mine);
        assertThat(search(crm().as(Principal.user("u-2", Role.SALES_REP)), q).total()).isEqualTo(14);
        assertThat(search(system(), q).total()).isEqualTo(37);
    }

    @Test
    void hiddenFieldsAreNeitherMatchedNorHighlighted() {
        Role noEmail = Role.builder("no_email").grant("contact", RecordScope.ALL, Permission.READ)
                .field("contact", "email", FieldAccess.HIDDEN).build();
        Record r = contact("Visible", "Person", "email", "visible.secret@hidden.org");
        CrmSession caller = crm().as(Principal.user("u-9", noEmail));
        assertThat(search(caller, SearchQuery.of("secret")).total()).isZero();
        assertThat(search(caller, SearchQuery.of("hidden.org")).total()).isZero();
        SearchResult found = search(caller, SearchQuery.of("visible"));
        assertThat(ids(found)).containsExactly(r.id());
        assertThat(found.hits().get(0).highlights()).extracting(Highlight::field).doesNotContain("email")
                .contains("first_name");
        assertThat(search(system(), SearchQuery.of("secret")).total()).isEqualTo(1);
    }

    @Test
    void typesTheCallerCannotReadAreNotSearched() {
        Role contactsOnly = Role.builder("contacts_only").grant("contact", RecordScope.ALL, Permission.READ).build();
        Record contact = contact("Zebra", "Crossing");
        records("company").create(values("name", "Zebra Paints"));
        CrmSession caller = crm().as(Principal.user("u-3", contactsOnly));
        assertThat(ids(search(caller, SearchQuery.of("zebra")))).containsExactly(contact.id());
        assertThatThrownBy(() -> caller.search(SearchQuery.of("zebra").types("company")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void referencedNamesNeedReadAccessToTheReferencedType() {
        Role contactsOnly = Role.builder("contacts_only").grant("contact", RecordScope.ALL, Permission.READ).build();
        Record quokka = records("company").create(values("name", "Quokka Holdings"));
        contact("Ada", "Lovelace", "company", quokka.id());
        assertThat(search(crm().as(Principal.user("u-4", contactsOnly)), SearchQuery.of("quokka")).total()).isZero();
        assertThat(search(system(), SearchQuery.of("quokka").types("contact")).total()).isEqualTo(1);
    }

    @Test
    void aHiddenNameFieldIsNeitherMatchedNorInTheTitle() {
        Role noLastName = Role.builder("no_last_name").grant("contact", RecordScope.ALL, Permission.READ)
                .field("contact", "last_name", FieldAccess.HIDDEN).build();
        Role noName = Role.builder("no_name").grant("contact", RecordScope.ALL, Permission.READ)
                .field("contact", "first_name", FieldAccess.HIDDEN).field("contact", "last_name", FieldAccess.HIDDEN)
                .build();
        Record r = contact("Ada", "Lovelace", "email", "ada@analytical.org");
        CrmSession caller = crm().as(Principal.user("u-9", noLastName));
        assertThat(search(caller, SearchQuery.of("lovelace")).total()).isZero();
        SearchResult found = search(caller, SearchQuery.of("ada"));
        assertThat(ids(found)).containsExactly(r.id());
        Hit hit = found.hits().get(0);
        assertThat(hit.title()).as("only the visible name fields").isEqualTo("Ada");
        assertThat(hit.highlights()).extracting(Highlight::field).doesNotContain("last_name");
        assertThat(hit.highlights()).extracting(Highlight::text).noneMatch(t -> t.contains("Lovelace"));

        SearchResult byEmail = search(crm().as(Principal.user("u-9", noName)), SearchQuery.of("ada@analytical.org"));
        assertThat(ids(byEmail)).containsExactly(r.id());
        assertThat(byEmail.hits().get(0).title()).as("no visible name field: the id").isEqualTo(r.id().toString());
        assertThat(search(system(), SearchQuery.of("ada")).hits().get(0).title()).isEqualTo("Ada Lovelace");
    }

    @Test
    void aCustomTypeWhoseNameIsHiddenIsTitledByItsId() {
        crm().schema().addObjectType(ObjectType.custom("gizmo", "Gizmo",
                Field.text("name").required(true).searchable(true),
                Field.text("code").searchable(true)));
        Role noName = Role.builder("gizmo_no_name").grant("gizmo", RecordScope.ALL, Permission.READ)
                .field("gizmo", "name", FieldAccess.HIDDEN).build();
        Record g = records("gizmo").create(values("name", "Secret Prototype", "code", "zx81"));
        CrmSession caller = crm().as(Principal.user("u-9", noName));
        assertThat(search(caller, SearchQuery.of("prototype")).total()).isZero();
        SearchResult found = search(caller, SearchQuery.of("zx81"));
        assertThat(ids(found)).containsExactly(g.id());
        assertThat(found.hits().get(0).title()).isEqualTo(g.id().toString());
        assertThat(found.hits().get(0).highlights()).extracting(Highlight::field).containsExactly("code");
        assertThat(search(system(), SearchQuery.of("zx81")).hits().get(0).title()).isEqualTo("Secret Prototype");
    }

    @Test
    void referencedNamesAreMatchedAndHighlightedOnlyForReferencedRecordsInTheCallersScope() {
        Record wombat = records("company").create(values("name", "Wombat Logistics", "owner", "u-1"));
        Record kestrel = records("company").create(values("name", "Kestrel Mining", "owner", "u-2"));
        Record mine = contact("Ada", "Lovelace", "company", wombat.id(), "owner", "u-1");
        Record theirs = contact("Ada", "Byron", "company", kestrel.id(), "owner", "u-1");
        CrmSession rep = crm().as(Principal.user("u-1", Role.SALES_REP));

        SearchResult inScope = search(rep, SearchQuery.of("wombat").types("contact"));
        assertThat(ids(inScope)).containsExactly(mine.id());
        Highlight company = inScope.hits().get(0).highlights().stream().filter(h -> h.field().equals("company"))
                .findFirst().orElseThrow();
        assertThat(company.marked("[", "]")).isEqualTo("[Wombat] Logistics");

        assertThat(search(rep, SearchQuery.of("kestrel")).total()).as("an out-of-scope company's name").isZero();
        assertThat(search(rep, SearchQuery.of("mining")).total()).isZero();
        for (String text : List.of("ada", "byron", "ada kestrel", "byron mining", "ada mining")) {
            SearchResult r = search(rep, SearchQuery.of(text));
            assertThat(r.hits()).as(text).allSatisfy(h -> assertThat(h.highlights())
                    .noneMatch(x -> x.text().contains("Kestrel")));
            assertThat(r.hits()).as(text).allSatisfy(h -> assertThat(h.title()).doesNotContain("Kestrel"));
        }
        assertThat(ids(search(rep, SearchQuery.of("byron")))).containsExactly(theirs.id());
        assertThat(ids(search(system(), SearchQuery.of("kestrel").types("contact")))).containsExactly(theirs.id());
    }

    @Test
    void aReferencedRecordChangingHandsChangesWhoFindsThroughIt() {
        Record co = records("company").create(values("name", "Kestrel Mining", "owner", "u-2"));
        Record ada = contact("Ada", "Lovelace", "company", co.id(), "owner", "u-1");
        CrmSession rep = crm().as(Principal.user("u-1", Role.SALES_REP));
        assertThat(search(rep, SearchQuery.of("kestrel")).total()).isZero();
        co = records("company").update(co, values("owner", "u-1"));
        assertThat(ids(search(rep, SearchQuery.of("kestrel")))).containsExactlyInAnyOrder(ada.id(), co.id());
        records("company").update(co, values("owner", "u-2"));
        assertThat(search(rep, SearchQuery.of("kestrel")).total()).isZero();

        Record team = records("company").create(values("name", "Osprey Fishing", "owner", "u-2", "team", "north"));
        Record grace = contact("Grace", "Hopper", "company", team.id(), "owner", "u-3", "team", "north");
        CrmSession manager = crm().as(Principal.user("u-3", Role.SALES_MANAGER).inTeams("north"));
        assertThat(ids(search(manager, SearchQuery.of("osprey").types("contact")))).containsExactly(grace.id());
        records("company").update(team, values("team", "south"));
        assertThat(search(manager, SearchQuery.of("osprey")).total()).isZero();
    }

    // ---- filters -------------------------------------------------------------------------------------------

    private void defineGadget() {
        crm().schema().addObjectType(ObjectType.custom(GADGET, "Gadget",
                Field.text("name").required(true).searchable(true),
                Field.integer("qty").indexed(true),
                Field.decimal("price").indexed(true),
                Field.date("made_on").indexed(true),
                Field.picklist("color", "red", "green", "blue").indexed(true),
                Field.bool("active").indexed(true),
                Field.text("notes"),
                Field.reference("company", "company")));
    }

    @Test
    void filtersNarrowTheHits() {
        defineGadget();
        Map<String, UUID> g = new java.util.HashMap<>();
        g.put("a", records(GADGET).create(values("name", "Widget alpha", "qty", 3, "price", "9.99", "made_on",
                "2026-01-10", "color", "red", "active", true)).id());
        g.put("b", records(GADGET).create(values("name", "Widget beta", "qty", 7, "price", "19.50", "made_on",
                "2026-03-01", "color", "blue", "active", false)).id());
        g.put("c", records(GADGET).create(values("name", "Widget gamma", "qty", 12, "color", "red", "owner",
                "u-7")).id());
        g.put("d", records(GADGET).create(values("name", "Widget delta")).id());
        List<Map.Entry<String, Filter>> cases = List.of(
                Map.entry("a b", where("qty").lt(10)),
                Map.entry("b c", where("qty").gt(5)),
                Map.entry("b", where("qty").between(4, 11)),
                Map.entry("a c", where("color").eq("red")),
                Map.entry("b d", where("color").ne("red")),
                Map.entry("d", where("qty").isNull()),
                Map.entry("a b c", where("qty").isNotNull()),
                Map.entry("a c", where("qty").in(3, 12)),
                Map.entry("b c d", where("price").lt(new BigDecimal("10")).negate()),
                Map.entry("a", where("price").lte(new BigDecimal("9.995"))),
                Map.entry("b", where("made_on").gte(LocalDate.parse("2026-02-01"))),
                Map.entry("a", where("active").eq(true)),
                Map.entry("c", where("owner").eq("u-7")),
                Map.entry("a b d", where("owner").eq(Principal.SYSTEM_ID)),
                Map.entry("c", where("qty").gt(10).or(where("color").eq("green"))),
                Map.entry("a", where("color").eq("red").and(where("qty").lt(5))));
        for (Map.Entry<String, Filter> c : cases) {
            Set<UUID> expected = new HashSet<>();
            for (String k : c.getKey().split(" ")) {
                expected.add(g.get(k));
            }
            SearchResult r = search(system(), SearchQuery.of("widget").filter(c.getValue()).limit(100));
            assertThat(new HashSet<>(ids(r))).as("widget where " + c.getValue()).isEqualTo(expected);
            assertThat(r.total()).as("total where " + c.getValue()).isEqualTo(expected.size());
        }
    }

    @Test
    void aFilterOnAFieldSomeTypesLackLeavesThoseTypesOut() {
        defineGadget();
        Record gadget = records(GADGET).create(values("name", "Nimbus", "qty", 2));
        contact("Nimbus", "Cloud");
        assertThat(ids(search(system(), SearchQuery.of("nimbus").filter(where("qty").gt(0)))))
                .containsExactly(gadget.id());
        assertThatThrownBy(() -> system().search(SearchQuery.of("nimbus").types("contact")
                .filter(where("qty").gt(0)))).matches(error("qty", FieldErrorCode.UNKNOWN_FIELD));
    }

    @Test
    void filtersASearchCannotRunAreRefused() {
        defineGadget();
        records(GADGET).create(values("name", "Nimbus", "notes", "n"));
        for (Filter f : List.of(where("name").contains("nim"), where("notes").eq("n"),
                where("company.name").eq("x"))) {
            assertThatThrownBy(() -> system().search(SearchQuery.of("nimbus").types(GADGET).filter(f)))
                    .as("%s", f).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .allMatch(x -> x.code() == FieldErrorCode.UNSUPPORTED_OPERATION));
        }
    }

    // ---- bad queries ---------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose: checks that search(null) is refused with an NPE
    void badQueriesAreRefusedNamingThePart() {
        contact("Ada", "Lovelace");
        List<Map.Entry<String, SearchQuery>> bad = List.of(
                Map.entry("text", SearchQuery.of("   ")),
                Map.entry("text", SearchQuery.of("x".repeat(SearchQuery.MAX_TEXT_LENGTH + 1))),
                Map.entry("text", SearchQuery.of("a b c d e f g h i j k l m n o p q")),
                Map.entry("text", SearchQuery.of("ada\u0000")),
                Map.entry("text", SearchQuery.of("!!! ???")),
                Map.entry("limit", SearchQuery.of("ada").limit(0)),
                Map.entry("limit", SearchQuery.of("ada").limit(SearchQuery.MAX_LIMIT + 1)),
                Map.entry("offset", SearchQuery.of("ada").offset(-1)),
                Map.entry("offset", SearchQuery.of("ada").offset(SearchQuery.MAX_OFFSET + 1)));
        for (Map.Entry<String, SearchQuery> e : bad) {
            assertThatThrownBy(() -> system().search(e.getValue())).as(e.getKey() + ": " + e.getValue())
                    .isInstanceOfSatisfying(ValidationException.class, v -> assertThat(v.errors())
                            .anyMatch(x -> x.field().equals(e.getKey())));
        }
        assertThatThrownBy(() -> system().search((SearchQuery) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("query");
        assertThatThrownBy(() -> system().search(SearchQuery.of("ada").types("nosuchtype")))
                .isInstanceOf(SchemaException.class);
        crm().schema().addObjectType(ObjectType.custom("plain", "Plain", Field.integer("n")));
        assertThatThrownBy(() -> system().search(SearchQuery.of("ada").types("plain")))
                .matches(error("types", FieldErrorCode.UNSUPPORTED_OPERATION));
    }

    // ---- changes -------------------------------------------------------------------------------------------

    @Test
    void deletedRecordsAreNotFoundUntilRestoredAndPurgedOnesNeverAgain() {
        Record r = contact("Ada", "Lovelace");
        assertThat(search(system(), SearchQuery.of("lovelace")).total()).isEqualTo(1);
        Record deleted = records("contact").delete(r.id(), r.version());
        assertThat(search(system(), SearchQuery.of("lovelace")).total()).isZero();
        Record restored = records("contact").restore(r.id(), deleted.version());
        assertThat(ids(search(system(), SearchQuery.of("lovelace")))).containsExactly(r.id());
        assertThat(search(system(), SearchQuery.of("lovelace")).hits().get(0).version()).isEqualTo(restored.version());
        records("contact").purge(r.id());
        assertThat(search(system(), SearchQuery.of("lovelace")).total()).isZero();
    }

    @Test
    void updatesReplaceTheOldText() {
        Record r = contact("Ada", "Lovelace");
        records("contact").update(r, values("last_name", "Byron"));
        assertThat(search(system(), SearchQuery.of("lovelace")).total()).isZero();
        assertThat(ids(search(system(), SearchQuery.of("byron")))).containsExactly(r.id());
        assertThat(search(system(), SearchQuery.of("byron")).hits().get(0).title()).isEqualTo("Ada Byron");
    }

    @Test
    void renamingACompanyRenamesItInTheRecordsThatReferenceIt() {
        Record co = records("company").create(values("name", "Kestrel Mining"));
        Record ada = contact("Ada", "Lovelace", "company", co.id());
        assertThat(ids(search(system(), SearchQuery.of("kestrel").types("contact")))).containsExactly(ada.id());
        records("company").update(co, values("name", "Falcon Mining"));
        assertThat(search(system(), SearchQuery.of("kestrel").types("contact")).total()).isZero();
        assertThat(ids(search(system(), SearchQuery.of("falcon").types("contact")))).containsExactly(ada.id());
    }

    @Test
    void pagesDoNotOverlapAndCountTheTotal() {
        for (int i = 0; i < 25; i++) {
            contact("Name" + i, "Ingleby");
        }
        SearchQuery q = SearchQuery.of("ingleby").limit(10);
        SearchResult first = search(system(), q);
        SearchResult second = search(system(), q.next());
        SearchResult third = search(system(), q.next().next());
        assertThat(List.of(first.hits().size(), second.hits().size(), third.hits().size())).containsExactly(10, 10,
                5);
        assertThat(List.of(first.hasMore(), second.hasMore(), third.hasMore())).containsExactly(true, true, false);
        List<UUID> all = new ArrayList<>(ids(first));
        all.addAll(ids(second));
        all.addAll(ids(third));
        assertThat(all).hasSize(25).doesNotHaveDuplicates();
        assertThat(first.total()).isEqualTo(25);
        assertThat(search(system(), q.offset(30)).hits()).isEmpty();
    }

    // ---- the index -----------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose: checks that rebuild(null) is refused with an NPE
    void theIndexCanBeRebuiltAndReportsProgress() {
        for (int i = 0; i < 12; i++) {
            contact("Rebuilt" + i, "Yarrow");
        }
        indexed();
        List<RebuildProgress> reports = new ArrayList<>();
        crm().admin().searchIndex().rebuild(reports::add);
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1).done()).isTrue();
        assertThat(reports.stream().filter(RebuildProgress::done)).hasSize(1);
        assertThat(search(system(), SearchQuery.of("yarrow")).total()).isEqualTo(12);
        assertThat(crm().admin().searchIndex().appliedSequence()).isGreaterThanOrEqualTo(
                crm().changeLog().lastSequence());
        assertThatThrownBy(() -> crm().admin().searchIndex().rebuild(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("progress");
        assertThatThrownBy(() -> crm().admin().searchIndex().awaitUpToDate(Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class);
    }
}

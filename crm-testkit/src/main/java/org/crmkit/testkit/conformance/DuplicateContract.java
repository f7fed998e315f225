package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSearch;
import org.crmkit.CrmSession;
import org.crmkit.duplicate.CheckedWrite;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.DuplicateCluster;
import org.crmkit.duplicate.DuplicateScan;
import org.crmkit.duplicate.ScanJob;
import org.crmkit.duplicate.MatchMethod;
import org.crmkit.duplicate.ScanProgress;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.query.Filter;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Duplicate detection alike on every storage, through the storage or a search engine ({@link #newSearch()}): the
 * built-in contact and company rules find typos, swapped names, nicknames, formatted phones and e-mails in other
 * case; rules are checked, versioned and durable; WARN and BLOCK modes on create, update and import; only records and
 * fields the caller may see take part; a scan finds the clusters.
 */
public abstract class DuplicateContract extends ConformanceContract {
    private static final String ADA_PHONE = "+1 650 253 0000";

    /** The search engine to find candidates with, or null (the default) for the storage. */
    protected @Nullable CrmSearch newSearch() {
        return null;
    }

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        CrmSearch search = newSearch();
        return search == null ? builder : builder.search(search);
    }

    /** Waits until the search engine (if any) holds every committed change. */
    protected final void settled() {
        assertThat(crm().admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).as("index caught up").isTrue();
    }

    private Record contact(CrmSession s, String first, String last, @Nullable String email, @Nullable String phone) {
        return s.records("contact").create(values("first_name", first, "last_name", last, "email", email, "phone",
                phone));
    }

    private Record ada() {
        Record ada = contact(system(), "Ada", "Lovelace", "ada@analytical.org", ADA_PHONE);
        contact(system(), "Grace", "Hopper", "grace@navy.mil", "+1 202 555 0173");
        contact(system(), "Alan", "Turing", "alan@bletchley.uk", null);
        settled();
        return ada;
    }

    private List<UUID> found(CrmSession s, Map<String, ?> probe) {
        settled();
        return s.records("contact").findDuplicates(probe).stream().map(c -> c.record().id()).toList();
    }

    private void mode(String type, DuplicateMode mode) {
        crm().schema().setDuplicateRules(type, crm().schema().duplicateRules(type).orElseThrow().mode(mode));
    }

    @Test
    void theBuiltInContactRulesFindTyposSwapsNicknamesPhonesAndEmailCase() {
        Record ada = ada();
        assertThat(found(system(), values("first_name", "Ada", "last_name", "Lovelace"))).containsExactly(ada.id());
        assertThat(found(system(), values("first_name", "Adda", "last_name", "Lovlace", "phone", "(650) 253-0000")))
                .containsExactly(ada.id());
        assertThat(found(system(), values("first_name", "Lovelace", "last_name", "Ada"))).containsExactly(ada.id());
        assertThat(found(system(), values("first_name", "Ada", "last_name", "Lpvelace")))
                .as("a typo in the first letters of a name, nothing else to go by").containsExactly(ada.id());
        assertThat(found(system(), values("first_name", "Eda", "last_name", "Lovelace"))).containsExactly(ada.id());
        assertThat(found(system(), values("email", "ADA@Analytical.ORG"))).containsExactly(ada.id());
        Record bill = contact(system(), "William", "Gates", "bill@example.com", null);
        assertThat(found(system(), values("first_name", "Bill", "last_name", "Gates"))).containsExactly(bill.id());
        assertThat(found(system(), values("first_name", "Ada", "last_name", "Byron", "email", "lady@byron.uk")))
                .isEmpty();
        assertThat(found(system(), values("first_name", "Ada"))).as("a first name alone proves nothing").isEmpty();
        DuplicateCandidate c = system().records("contact").findDuplicates(values("first_name", "Ada", "last_name",
                "Lovelace", "email", "ada@analytical.org")).get(0);
        assertThat(c.score()).isEqualTo(1.0);
        assertThat(c.matchedFields()).containsExactly("first_name", "last_name", "email");
    }

    @Test
    void companiesMatchWithoutLegalFormsAndByDomain() {
        Record acme = records("company").create(values("name", "Acme, Inc.", "domain", "acme.com"));
        records("company").create(values("name", "Globex Corporation", "domain", "globex.com"));
        Record cafe = records("company").create(values("name", "CAFÉ CRÈME GmbH"));
        settled();
        // accents written or not, on either side
        assertThat(records("company").findDuplicates(values("name", "Café Crème"))).extracting(x -> x.record().id())
                .containsExactly(cafe.id());
        assertThat(records("company").findDuplicates(values("name", "Cafe Creme AG"))).extracting(x -> x.record()
                .id()).containsExactly(cafe.id());
        List<DuplicateCandidate> byName = records("company").findDuplicates(values("name", "ACME"));
        assertThat(byName).extracting(x -> x.record().id()).containsExactly(acme.id());
        assertThat(records("company").findDuplicates(values("name", "Acme GmbH", "website",
                "https://www.acme.com/about"))).extracting(x -> x.record().id()).containsExactly(acme.id());
        assertThat(records("company").findDuplicates(values("name", "Initech"))).isEmpty();
    }

    @Test
    void rulesAreCheckedVersionedAndDurable() {
        long before = crm().schema().version();
        DuplicateRules rules = DuplicateRules.builder().field("last_name", MatchMethod.FUZZY_NAME, 3)
                .field("email", MatchMethod.EMAIL, 5).threshold(0.9).mode(DuplicateMode.WARN).build();
        crm().schema().setDuplicateRules("contact", rules);
        assertThat(crm().schema().duplicateRules("contact")).contains(rules);
        assertThat(crm().schema().version()).isEqualTo(before + 1);
        assertThat(crm().schema().history().get(crm().schema().history().size() - 1).change().describe())
                .isEqualTo("set duplicate rules of contact");
        assertThatThrownBy(() -> crm().schema().setDuplicateRules("contact", DuplicateRules.builder()
                .field("nickname", MatchMethod.FOLDED, 1).build())).isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.UNKNOWN_FIELD));
        assertThatThrownBy(() -> crm().schema().setDuplicateRules("contact", DuplicateRules.builder()
                .field("last_name", MatchMethod.PHONE, 1).build())).isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.getMessage()).contains("contact.last_name").contains("PHONE"));
        assertThatThrownBy(() -> crm().schema().setDuplicateRules("contact", DuplicateRules.builder()
                .field("email", MatchMethod.EMAIL, 1).threshold(0).build())).isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> crm().schema().setDuplicateRules("contact", DuplicateRules.builder().build()))
                .isInstanceOf(SchemaException.class);
        assertThat(crm().schema().version()).as("refused rules change nothing").isEqualTo(before + 1);
        Crm again = reopen();
        if (again != null) {
            assertThat(again.schema().duplicateRules("contact")).contains(rules);
            assertThat(again.schema().duplicateRules("deal")).isEmpty();
        }
    }

    @Test
    void aFieldTheRulesCompareCannotBeDeleted() {
        crm().schema().addObjectType(ObjectType.custom("pet", "Pet", Field.text("name"), Field.text("chip")));
        crm().schema().setDuplicateRules("pet", DuplicateRules.builder().field("chip", MatchMethod.EXACT, 1).build());
        assertThatThrownBy(() -> crm().schema().deleteField("pet", "chip", DataPolicy.DISCARD_DATA))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.IN_USE));
        Record rex = system().records("pet").create(values("name", "Rex", "chip", "A-1"));
        settled();
        assertThat(system().records("pet").findDuplicates(values("chip", "A-1"))).extracting(c -> c.record().id())
                .containsExactly(rex.id());
    }

    @Test
    void blockModeRefusesCreatesAndUpdatesThatDuplicateAndWritesNothing() {
        Record ada = ada();
        mode("contact", DuplicateMode.BLOCK);
        long count = records("contact").count(Filter.ALL);
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> contact(system(), "Ada", "Lovelace", "ADA@analytical.org", null))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE);
                    assertThat(e.candidates()).extracting(c -> c.record().id()).containsExactly(ada.id());
                });
        assertThat(records("contact").count(Filter.ALL)).isEqualTo(count);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(seq);
        Record grace = records("contact").query(Filter.ALL).items().stream()
                .filter(r -> "Hopper".equals(r.getString("last_name"))).findFirst().orElseThrow();
        assertThatThrownBy(() -> records("contact").update(grace, values("first_name", "Ada", "last_name",
                "Lovelace", "email", "ada@analytical.org", "phone", ADA_PHONE))).isInstanceOf(
                        DuplicateException.class);
        Record kept = records("contact").update(grace, values("title", "Rear Admiral"));
        assertThat(kept.version()).isEqualTo(grace.version() + 1);
        settled();
        Record other = records("contact").update(ada, values("title", "Countess"));
        assertThat(other.getString("title")).as("a write that changes no rule field is not checked").isEqualTo(
                "Countess");
    }

    @Test
    void warnModeWritesAndReturnsTheCandidates() {
        Record ada = ada();
        assertThat(records("contact").createChecked(values("first_name", "Ada", "last_name", "Lovelace"))
                .duplicates()).as("OFF checks nothing").isEmpty();
        settled();
        mode("contact", DuplicateMode.WARN);
        CheckedWrite w = records("contact").createChecked(values("first_name", "Ada", "last_name", "Lovelace",
                "phone", "650-253-0000"));
        assertThat(w.duplicates()).extracting(c -> c.record().id()).contains(ada.id());
        assertThat(records("contact").get(w.record().id())).isNotNull();
        Record plain = records("contact").create(values("first_name", "Ada", "last_name", "Lovelace"));
        assertThat(records("contact").get(plain.id())).isNotNull();
        settled();
        CheckedWrite u = records("contact").updateChecked(plain.id(), plain.version(), values("email",
                "Ada@analytical.org"));
        assertThat(u.duplicates()).extracting(c -> c.record().id()).contains(ada.id()).doesNotContain(plain.id());
    }

    @Test
    void importsHonourTheModePerRow() {
        Record ada = ada();
        mode("contact", DuplicateMode.BLOCK);
        List<Map<String, ?>> rows = new ArrayList<>();
        rows.add(values("first_name", "Ada", "last_name", "Lovelace", "email", "ada@analytical.org"));
        rows.add(values("first_name", "Katherine", "last_name", "Johnson", "email", "kj@nasa.gov"));
        rows.add(values("first_name", "Kate", "last_name", "Johnson", "email", "KJ@nasa.gov"));
        ImportResult blocked = records("contact").importRecords("dupes-1", rows);
        assertThat(blocked.createdIds()).containsOnlyKeys(2L);
        assertThat(blocked.errors()).extracting(ImportResult.RowError::row).containsExactly(1L, 3L);
        assertThat(blocked.errors().get(0).errors().get(0).code()).isEqualTo(FieldErrorCode.DUPLICATE);
        assertThat(blocked.errors().get(0).errors().get(0).message()).contains(ada.id().toString());
        settled();
        mode("contact", DuplicateMode.WARN);
        ImportResult warned = records("contact").importRecords("dupes-2", rows);
        assertThat(warned.created()).isEqualTo(3);
        assertThat(warned.duplicates().get(1L)).extracting(c -> c.record().id()).contains(ada.id());
        assertThat(warned.duplicates()).containsKeys(1L, 2L, 3L);
    }

    @Test
    void onlyRecordsAndFieldsTheCallerMaySeeTakePart() {
        ada();
        mode("contact", DuplicateMode.BLOCK);
        CrmSession rep = crm().as(Principal.user("u-1", Role.SALES_REP));
        assertThat(found(rep, values("first_name", "Ada", "last_name", "Lovelace"))).as("out of scope").isEmpty();
        Record mine = contact(rep, "Ada", "Lovelace", "ada@analytical.org", null);
        assertThat(mine.owner()).as("an unseen duplicate does not block").isEqualTo("u-1");
        Role noEmail = Role.builder("no_email").grant("contact", RecordScope.ALL, Permission.READ)
                .field("contact", "email", FieldAccess.HIDDEN).build();
        CrmSession blind = crm().as(Principal.user("u-9", noEmail));
        assertThat(found(blind, values("last_name", "Nobody", "email", "ada@analytical.org")))
                .as("a hidden field is not matched on").isEmpty();
        List<DuplicateCandidate> byName = blind.records("contact").findDuplicates(values("first_name", "Ada",
                "last_name", "Lovelace", "email", "ada@analytical.org"));
        assertThat(byName).hasSize(2).allSatisfy(c -> {
            assertThat(c.matchedFields()).containsExactly("first_name", "last_name");
            assertThat(c.record().has("email")).isFalse();
        });
    }

    @Test
    void aScanFindsTheClustersWithProgress() {
        Record ada = ada();
        Record ada2 = contact(system(), "Ada", "Lovelace", "ADA@analytical.org", null);
        Record ada3 = contact(system(), "Adda", "Lovlace", null, "(650) 253-0000");
        Record bill = contact(system(), "William", "Gates", "bill@example.com", null);
        Record bill2 = contact(system(), "Bill", "Gates", "Bill@Example.com", null);
        settled();
        List<ScanProgress> reports = new ArrayList<>();
        DuplicateScan scan = crm().admin().duplicates().scan("contact", reports::add);
        assertThat(scan.scanned()).isEqualTo(7);
        assertThat(scan.clusters()).hasSize(2);
        assertThat(scan.clusters().get(0).ids()).containsExactly(ada.id(), ada2.id(), ada3.id());
        assertThat(scan.clusters().get(1).ids()).containsExactly(bill.id(), bill2.id());
        assertThat(reports.get(reports.size() - 1)).isEqualTo(new ScanProgress("contact", 7, 7, 2, true));
        assertThatThrownBy(() -> crm().admin().duplicates().scan("deal", p -> {}))
                .isInstanceOf(SchemaException.class);
    }

    /** Contacts unlike each other (distinct e-mails, names of distinct letters), in one transaction. */
    private void manyContacts(int n) {
        crm().as(Principal.SYSTEM).inTransactionDo(s -> {
            for (int i = 0; i < n; i++) {
                String code = Integer.toString(i + 1_000, 26); // "1eg": distinct per i
                s.records("contact").create(values("first_name", "F" + code, "last_name", "L" + code, "email",
                        "c" + i + "@example.net"));
            }
        });
    }

    @Test
    void aScanInTheBackgroundFindsWhatTheScanFindsAndReportsEachPage() throws Exception {
        Record ada = ada();
        Record ada2 = contact(system(), "Ada", "Lovelace", "ADA@analytical.org", null);
        manyContacts(420); // three pages
        settled();
        DuplicateScan direct = crm().admin().duplicates().scan("contact", p -> {});
        List<ScanProgress> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScanJob job = crm().admin().duplicates().startScan("contact", reports::add);
        DuplicateScan background = job.result().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(background).isEqualTo(direct);
        assertThat(background.clusters()).extracting(DuplicateCluster::ids).contains(List.of(ada.id(), ada2.id()));
        assertThat(job.objectType()).isEqualTo("contact");
        assertThat(job.progress()).isEqualTo(new ScanProgress("contact", 424, 424, direct.clusters().size(), true));
        assertThat(reports).extracting(ScanProgress::scanned).containsExactly(0L, 200L, 400L, 424L);
        assertThat(reports).extracting(ScanProgress::done).containsExactly(false, false, false, true);
        assertThat(job.cancel()).as("an ended scan is not cancelled").isFalse();
        assertThatThrownBy(() -> crm().admin().duplicates().startScan("deal", p -> {}))
                .isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> crm().admin().duplicates().startScan("no_such_type", p -> {}))
                .isInstanceOf(SchemaException.class);
    }

    @Test
    void aCancelledScanStopsBeforeItsNextPage() throws Exception {
        ada();
        manyContacts(420);
        settled();
        java.util.concurrent.CountDownLatch firstPage = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScanJob job = crm().admin().duplicates().startScan("contact", p -> {
            if (p.scanned() > 0 && firstPage.getCount() > 0) {
                firstPage.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(firstPage.await(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(job.cancel()).isTrue();
        release.countDown();
        Throwable failure = job.result().handle((scan, e) -> e).toCompletableFuture().get(2,
                java.util.concurrent.TimeUnit.MINUTES);
        assertThat(failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure)
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(job.progress().done()).isTrue();
        assertThat(job.progress().scanned()).isEqualTo(200);
        assertThat(job.progress().total()).isEqualTo(423);
    }
}

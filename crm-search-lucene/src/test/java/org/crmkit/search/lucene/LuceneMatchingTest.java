package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.search.Hit;
import org.crmkit.search.MatchKind;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the Lucene engine matches and ranks: typos, sounds, prefixes, emails, phones, company names, weights. */
class LuceneMatchingTest {
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private Crm crm;
    private CrmSession s;

    @BeforeEach
    void open() {
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).defaultPhoneRegion("GB")
                .search(LuceneSearch.inMemory()).build();
        s = crm.as(Principal.SYSTEM);
    }

    @AfterEach
    void close() {
        crm.close();
    }

    private Record contact(Object... keysAndValues) {
        Map<String, Object> v = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            v.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return s.records("contact").create(v);
    }

    private SearchResult search(String text) {
        return search(SearchQuery.of(text));
    }

    private SearchResult search(SearchQuery q) {
        assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(10))).isTrue();
        return s.search(q);
    }

    private List<UUID> ids(String text) {
        return search(text).hits().stream().map(Hit::id).toList();
    }

    @Test
    void aCompanyOutsideTheCallersScopeNeitherMatchesByTypoOrSoundNorAddsToTheScore() {
        Record kestrel = s.records("company").create(Map.of("name", "Kestrel Mining", "owner", "u-2"));
        Record wombat = s.records("company").create(Map.of("name", "Wombat Freight", "owner", "u-1"));
        Record theirs = contact("first_name", "Ada", "last_name", "Byron", "company", kestrel.id(), "owner", "u-1");
        Record mine = contact("first_name", "Ada", "last_name", "Lovelace", "company", wombat.id(), "owner", "u-1");
        Record plain = contact("first_name", "Ada", "last_name", "King", "owner", "u-1");
        CrmSession rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(10))).isTrue();
        for (String text : List.of("kestrel", "kestrl", "kestrell", "kesterl", "kestrel mining")) {
            assertThat(rep.search(SearchQuery.of(text)).total()).as(text).isZero();
        }
        assertThat(ids("kestrl")).as("the system sees it").contains(theirs.id());
        assertThat(rep.search(SearchQuery.of("wombt").types("contact")).hits()).extracting(Hit::id)
                .containsExactly(mine.id());

        // all but one term: "ada" alone finds both, and the out-of-scope "kestrel" adds nothing to either
        Map<UUID, Double> scores = new HashMap<>();
        rep.search(SearchQuery.of("ada kestrel")).hits().forEach(h -> scores.put(h.id(), h.score()));
        assertThat(scores).containsKeys(theirs.id(), plain.id());
        assertThat(scores.get(theirs.id())).isEqualTo(scores.get(plain.id()));
    }

    @Test
    void oneTypoInWordsOfFourToSevenLettersTwoFromEight() {
        Record ada = contact("first_name", "Ada", "last_name", "Lovelace");
        Record smith = contact("first_name", "Grace", "last_name", "Smith");
        for (String typo : List.of("lovelcae", "lovlace", "lovellace", "lxvelqce", "LOVELACE", "lövelace")) {
            assertThat(ids(typo)).as(typo).containsExactly(ada.id());
        }
        assertThat(ids("lxvxlqce")).as("three edits").isEmpty();
        for (String typo : List.of("smiht", "smth", "smitth", "snith")) {
            assertThat(ids(typo)).as(typo).containsExactly(smith.id());
        }
        assertThat(ids("smxxh")).as("two edits in five letters").isEmpty();
        assertThat(ids("adx")).as("a three-letter word's typo past its first letter").containsExactly(ada.id());
        assertThat(ids("xda")).as("but not in its first letter").isEmpty();
        assertThat(search("lovlace").hits().get(0).match()).isEqualTo(MatchKind.FUZZY);
    }

    @Test
    void threeLetterNamesHaveOneTypoPastTheirFirstLetterBelowExactAndPrefixMatches() {
        Record ivo = contact("first_name", "Ivo", "last_name", "Andrić");
        Record ina = contact("first_name", "Ina", "last_name", "Seidel");
        Record ian = contact("first_name", "Ian", "last_name", "Curtis");
        Record ian2 = contact("first_name", "Ian", "last_name", "Brown");
        Record iana = contact("first_name", "Iana", "last_name", "Petrova");
        Record ana = contact("first_name", "Ana", "last_name", "Curtis");
        Record eva = contact("first_name", "Eva", "last_name", "Perón");
        Record ada = contact("first_name", "Ada", "last_name", "Curtis");

        List<Hit> forIva = search("iva").hits();
        assertThat(forIva).extracting(Hit::id).as("Ivo and Ina, one letter changed, then Eva by sound; not Ana or Ada")
                .containsExactlyInAnyOrder(ivo.id(), ina.id(), eva.id()).endsWith(eva.id());
        assertThat(forIva).extracting(Hit::match).containsExactly(MatchKind.FUZZY, MatchKind.FUZZY, MatchKind.PHONETIC);
        List<UUID> forIna = ids("ina");
        assertThat(forIna.get(0)).as("the exact one first").isEqualTo(ina.id());
        assertThat(forIna).as("then the swapped letters (Ian) and one added (Iana), then Ana by sound alone")
                .containsExactlyInAnyOrder(ina.id(), ian.id(), ian2.id(), iana.id(), ana.id()).endsWith(ana.id());
        List<UUID> forIan = ids("ian");
        assertThat(forIan.subList(0, 3)).as("exact Ians, then the prefix (Iana)")
                .containsExactlyInAnyOrder(ian.id(), ian2.id(), iana.id());
        assertThat(forIan.subList(0, 2)).containsExactlyInAnyOrder(ian.id(), ian2.id());
        assertThat(forIan.subList(3, forIan.size())).as("then the typo (Ina), then the sound (Ana)")
                .containsExactly(ina.id(), ana.id());
        assertThat(ids("ana curtis")).as("exact, then the typo (Ada), then the sound (Ian); never Eva")
                .containsExactly(ana.id(), ada.id(), ian.id());
        assertThat(ids("ivo andric")).containsExactly(ivo.id());
        assertThat(ids("iva andric")).containsExactly(ivo.id());
        assertThat(ids("xva")).as("no typo in the first letter").isEmpty();
        Record gail = contact("first_name", "Gail", "last_name", "Mann");
        Record sean = contact("first_name", "Sean", "last_name", "Moore");
        assertThat(ids("ail mann")).as("but a four-letter name may have lost its first letter").containsExactly(
                gail.id());
        assertThat(ids("ean")).contains(sean.id());
        assertThat(search("ail").hits()).extracting(Hit::match).containsOnly(MatchKind.FUZZY);
        assertThat(ids("iv")).as("two letters are a prefix (and a sound: Eva), never a typo (Ina)")
                .containsExactly(ivo.id(), eva.id());
    }

    @Test
    void oneEditOutranksTwoSoTheIntendedNameComesFirst() {
        Record other = contact("first_name", "Gonçalo", "last_name", "Simões"); // first: ties go to it
        Record meant = contact("first_name", "Gonçalo", "last_name", "Gonçalves");
        // "goncalvs" is one edit from Gonçalves and two from Gonçalo, which both contacts have
        assertThat(ids("Goncalo Goncalvs")).containsExactly(meant.id(), other.id());
        assertThat(ids("goncalvs")).containsExactly(meant.id(), other.id());
        assertThat(search("goncalvs").hits()).extracting(Hit::match).containsOnly(MatchKind.FUZZY);
    }

    @Test
    void namesThatSoundAlikeMatch() {
        Record john = contact("first_name", "John", "last_name", "Doe");
        Record steven = contact("first_name", "Steven", "last_name", "Roe");
        Record meyer = contact("first_name", "Anna", "last_name", "Meyer");
        assertThat(ids("jon")).containsExactly(john.id());
        assertThat(ids("stephen")).containsExactly(steven.id());
        assertThat(ids("maier")).containsExactly(meyer.id());
        assertThat(search("maier").hits().get(0).match()).isEqualTo(MatchKind.PHONETIC);
        assertThat(search("maier").hits().get(0).highlights()).anyMatch(h -> h.field().equals("last_name")
                && h.marked("[", "]").equals("[Meyer]"));
    }

    @Test
    void exactOutranksPrefixOutranksTypoOutranksSound() {
        Record exact = contact("last_name", "Smith");
        Record prefix = contact("last_name", "Smithson");
        Record typo = contact("last_name", "Smyth");
        Record sound = contact("last_name", "Smeeth");
        SearchResult r = search("smith");
        assertThat(r.hits()).extracting(Hit::id).containsExactly(exact.id(), prefix.id(), typo.id(), sound.id());
        assertThat(r.hits()).extracting(Hit::match).containsExactly(MatchKind.EXACT, MatchKind.PREFIX,
                MatchKind.FUZZY, MatchKind.PHONETIC);
    }

    @Test
    void nameOutranksEmailOutranksCompanyOutranksOtherText() {
        Record company = s.records("company").create(Map.of("name", "Kettle Works"));
        Record byName = contact("last_name", "Kettle");
        Record byEmail = contact("last_name", "A", "email", "kettle@example.com");
        Record byCompany = contact("last_name", "B", "company", company.id());
        Record byTitle = contact("last_name", "C", "title", "Kettle inspector");
        assertThat(search(SearchQuery.of("kettle").types("contact")).hits()).extracting(Hit::id)
                .containsExactly(byName.id(), byEmail.id(), byCompany.id(), byTitle.id());
        assertThat(search("kettle works").hits().get(0).id()).as("a company's own name is its name").isEqualTo(
                company.id());
    }

    @Test
    void wordsInAnyOrderAllOfThemFirst() {
        Record ada = contact("first_name", "Ada", "last_name", "Lovelace");
        Record charles = contact("first_name", "Charles", "last_name", "Babbage");
        assertThat(ids("lovelace ada")).containsExactly(ada.id());
        assertThat(ids("ada lovelace")).containsExactly(ada.id());
        // no record has both: the records with all but one word
        assertThat(ids("ada babbage")).containsExactlyInAnyOrder(ada.id(), charles.id());
    }

    @Test
    void jonSmihtAcmeFindsJohnSmithAtAcmeFirst() {
        Record acme = s.records("company").create(Map.of("name", "Acme Ltd"));
        Record other = s.records("company").create(Map.of("name", "Globex"));
        Record john = contact("first_name", "John", "last_name", "Smith", "company", acme.id());
        contact("first_name", "John", "last_name", "Smith", "company", other.id());
        contact("first_name", "Jane", "last_name", "Smithers", "company", acme.id());
        contact("first_name", "Jon", "last_name", "Snow");
        SearchResult r = search("jon smiht acme");
        assertThat(r.hits().get(0).id()).isEqualTo(john.id());
    }

    @Test
    void everyWordIsATypeAheadPrefix() {
        Record ada = contact("first_name", "Ada", "last_name", "Lovelace");
        contact("first_name", "Adam", "last_name", "Smith");
        assertThat(ids("lov")).containsExactly(ada.id());
        assertThat(ids("ad lov")).containsExactly(ada.id());
        assertThat(search("lov").hits().get(0).match()).isEqualTo(MatchKind.PREFIX);
        assertThat(search("lov").hits().get(0).highlights()).anyMatch(h -> h.field().equals("last_name"));
    }

    @Test
    void legalFormsOfCompaniesDoNotDominate() {
        Record acmeLtd = s.records("company").create(Map.of("name", "Acme Ltd"));
        Record acmeGmbh = s.records("company").create(Map.of("name", "Acme GmbH"));
        s.records("company").create(Map.of("name", "Zeta Ltd"));
        assertThat(ids("acme ltd")).containsExactlyInAnyOrder(acmeLtd.id(), acmeGmbh.id());
        assertThat(ids("acme inc")).containsExactlyInAnyOrder(acmeLtd.id(), acmeGmbh.id());
    }

    @Test
    void emailsMatchWholeByLocalPartByDomainAndByTheirBeginning() {
        Record ada = contact("last_name", "Lovelace", "email", "ada.lovelace@analytical.org");
        contact("last_name", "Babbage", "email", "charles@difference.org");
        for (String q : List.of("ada.lovelace@analytical.org", "ada.lovelace", "analytical.org", "ada.lov",
                "ada.lovelace@an")) {
            assertThat(ids(q)).as(q).containsExactly(ada.id());
        }
        assertThat(search("ada.lovelace@analytical.org").hits().get(0).highlights())
                .anyMatch(h -> h.field().equals("email") && h.marked("[", "]").equals("[ada.lovelace@analytical.org]"));
    }

    @Test
    void phonesMatchInAnyFormAndByTheirLastDigits() {
        Record uk = contact("last_name", "Uk", "phone", "+44 20 7946 0958");
        Record us = contact("last_name", "Us", "phone", "+1 212 555 0142");
        for (String q : List.of("020 7946 0958", "+44 20 7946 0958", "2079460958", "442079460958", "7946 0958",
                "0958")) {
            assertThat(ids(q)).as(q).containsExactly(uk.id());
        }
        for (String q : List.of("(212) 555-0142", "212-555-0142", "+1 212 555 0142", "0142")) {
            assertThat(ids(q)).as(q).containsExactly(us.id());
        }
        assertThat(search("020 7946 0958").hits().get(0).match()).isEqualTo(MatchKind.EXACT);
        assertThat(search("0958").hits().get(0).match()).isEqualTo(MatchKind.PREFIX);
    }

    @Test
    void freeTextIsSearchedWithTypos() {
        Record r = contact("last_name", "Notes", "description", "Discussed the quarterly roadmap and pricing");
        assertThat(ids("roadmap")).containsExactly(r.id());
        assertThat(ids("quartrly")).containsExactly(r.id());
        assertThat(ids("pric")).containsExactly(r.id());
    }

    @Test
    void totalsAreExactUpToAThousandAndALowerBoundBeyond() {
        s.records("contact").importRecords("many", java.util.stream.IntStream.range(0, 1_100)
                .mapToObj(i -> Map.<String, Object>of("first_name", "N" + i, "last_name", "Multitude")).toList());
        contact("first_name", "Only", "last_name", "Onesie");
        SearchResult many = search("multitude");
        assertThat(many.totalExact()).isFalse();
        assertThat(many.total()).isGreaterThanOrEqualTo(SearchResult.EXACT_TOTAL_UP_TO).isLessThanOrEqualTo(1_100);
        assertThat(many.hits()).hasSize(10);
        SearchResult one = search("onesie");
        assertThat(one.totalExact()).isTrue();
        assertThat(one.total()).isEqualTo(1);
    }

    @Test
    void recentlyUpdatedRecordsRankFirstAmongEquals() {
        Record old = contact("first_name", "Twin", "last_name", "Peaks");
        clock.advance(Duration.ofDays(700));
        Record recent = contact("first_name", "Twin", "last_name", "Peaks");
        SearchResult r = search("twin peaks");
        assertThat(r.hits()).extracting(Hit::id).containsExactly(recent.id(), old.id());
        assertThat(r.hits().get(0).score() / r.hits().get(1).score()).as("a mild boost").isLessThan(1.11);
    }
}

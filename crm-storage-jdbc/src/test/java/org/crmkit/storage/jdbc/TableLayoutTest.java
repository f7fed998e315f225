package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.TestStore.Column;
import org.crmkit.storage.jdbc.TestStore.ForeignKey;
import org.crmkit.storage.jdbc.TestStore.Index;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tables are readable by people and BI tools: one table per object type with one typed column per field,
 * structured fields as several columns, relations as link tables, references as foreign keys, indexes where the
 * schema asks for them, and every table under the storage's prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableLayoutTest {
    /** One storage per database for the tests that only add data and fields (building one costs seconds). */
    private final Map<TestDatabase, TestStore> stores = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, Crm> crms = new EnumMap<>(TestDatabase.class);

    private static final Set<String> SYSTEM_COLUMNS = Set.of("id", "version", "owner", "team", "created_at",
            "created_by", "updated_at", "updated_by", "deleted_at");

    private TestStore store(TestDatabase db) {
        crm(db);
        return stores.get(db);
    }

    private Crm crm(TestDatabase db) {
        return crms.computeIfAbsent(db, d -> {
            TestStore store = TestStore.create(d);
            stores.put(d, store);
            Crm crm = Crm.builder().storage(store.open()).build();
            crm.schema().addObjectType(gadget());
            return crm;
        });
    }

    @AfterAll
    void closeAll() {
        crms.values().forEach(Crm::close);
        stores.values().forEach(TestStore::close);
    }

    private static ObjectType gadget() {
        return ObjectType.custom("gadget", "Gadget",
                Field.text("name").required(true).maxLength(80),
                Field.text("code").unique(true),
                Field.integer("serial").indexed(true),
                Field.decimal("weight").scale(3),
                Field.currency("price"),
                Field.multiPicklist("tags", "a", "ab", "b", "c"),
                Field.reference("maker", "company"),
                Field.relation("parts", "contact"),
                Field.bool("active"),
                Field.date("made_on"),
                Field.datetime("checked_at"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void standardAndCustomTypesAreTypedTables(TestDatabase db) throws Exception {
        TestStore store = store(db);
        Crm crm = crm(db);
        {
            String p = store.prefix;

            Map<String, Column> contact = store.columns(p + "crm_contact");
            assertThat(contact.keySet()).as("crm_contact columns").containsAll(SYSTEM_COLUMNS).contains(
                    "first_name", "last_name", "email", "phone", "mobile", "title", "company", "address__street",
                    "address__city", "address__region", "address__postal_code", "address__country",
                    "do_not_contact", "description");
            assertThat(contact.keySet()).doesNotContain("address");
            assertText(db, contact.get("last_name"), 255);
            assertUnindexedText(db, contact.get("address__city"), 255);
            assertText(db, contact.get("email"), 254);
            assertThat(contact.get("company").isUuidLike()).as("%s", contact.get("company")).isTrue();
            assertThat(contact.get("id").isUuidLike()).as("%s", contact.get("id")).isTrue();
            assertThat(contact.get("version").sqlType()).isEqualTo(java.sql.Types.BIGINT);
            assertThat(contact.get("created_at").sqlType()).as("%s", contact.get("created_at"))
                    .isIn(java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            assertThat(contact.get("do_not_contact").sqlType()).as("%s", contact.get("do_not_contact"))
                    .isIn(java.sql.Types.BOOLEAN, java.sql.Types.BIT, java.sql.Types.TINYINT);
            assertThat(contact.get("description").isText()).as("%s", contact.get("description")).isTrue();

            Map<String, Column> deal = store.columns(p + "crm_deal");
            assertThat(deal.keySet()).contains("name", "amount", "amount__currency", "pipeline", "stage",
                    "probability", "close_date", "company", "contact").doesNotContain("contacts");
            assertDecimal(deal.get("amount"), 2);
            assertText(db, deal.get("amount__currency"), 3);
            assertDecimal(deal.get("probability"), 2);
            assertThat(deal.get("close_date").sqlType()).as("%s", deal.get("close_date"))
                    .isEqualTo(java.sql.Types.DATE);

            // the relation deal.contacts is a link table, keyed by both ends, with the order kept
            Map<String, Column> link = store.columns(p + "crm_deal__contacts");
            assertThat(link.keySet()).containsExactlyInAnyOrder("record_id", "target_id", "ordinal");
            assertThat(link.get("ordinal").sqlType()).isIn(java.sql.Types.INTEGER, java.sql.Types.BIGINT);
            assertThat(store.foreignKeys(p + "crm_deal__contacts"))
                    .extracting(ForeignKey::column, ForeignKey::targetTable, ForeignKey::targetColumn)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("record_id", p + "crm_deal", "id"),
                            org.assertj.core.groups.Tuple.tuple("target_id", p + "crm_contact", "id"));

            // references are foreign keys to the target's table
            assertThat(store.foreignKeys(p + "crm_contact"))
                    .extracting(ForeignKey::column, ForeignKey::targetTable, ForeignKey::targetColumn)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("company", p + "crm_company", "id"));
            assertThat(store.foreignKeys(p + "crm_deal"))
                    .extracting(ForeignKey::column, ForeignKey::targetTable)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("company", p + "crm_company"),
                            org.assertj.core.groups.Tuple.tuple("contact", p + "crm_contact"));

            // indexed fields have an index led by their column
            assertThat(leadingColumns(store.indexes(p + "crm_contact"), false)).contains("last_name", "email");
            assertThat(leadingColumns(store.indexes(p + "crm_deal"), false)).contains("stage", "close_date");
            // and no column list is indexed twice (a reference that is also indexed keeps its one ref_ index, a unique
            // field its unique index)
            for (String table : List.of(p + "crm_contact", p + "crm_deal", p + "crm_company", p + "crm_x_gadget")) {
                List<String> keys = store.indexes(table).values().stream().map(i -> i.columns().toString()).toList();
                assertThat(keys).as(table).doesNotHaveDuplicates();
            }

            // a custom type is crm_x_<name>; unique and indexed fields get their indexes
            String g = p + "crm_x_gadget";
            assertThat(store.tables(p)).contains(g, g + "__parts").doesNotContain(p + "crm_gadget");
            Map<String, Column> gc = store.columns(g);
            assertUnindexedText(db, gc.get("name"), 80);
            assertThat(gc.get("serial").sqlType()).isEqualTo(java.sql.Types.BIGINT);
            assertDecimal(gc.get("weight"), 3);
            assertDecimal(gc.get("price"), 2);
            assertText(db, gc.get("price__currency"), 3);
            assertThat(gc.get("tags").isText()).as("%s", gc.get("tags")).isTrue();
            assertThat(gc.get("made_on").sqlType()).isEqualTo(java.sql.Types.DATE);
            assertThat(gc.get("checked_at").sqlType()).isIn(java.sql.Types.TIMESTAMP,
                    java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            assertThat(gc.keySet()).doesNotContain("parts");
            Map<String, Index> gi = store.indexes(g);
            assertThat(leadingColumns(gi, true)).as("unique indexes of %s: %s", g, gi).contains("code");
            assertThat(leadingColumns(gi, false)).as("indexes of %s: %s", g, gi).contains("serial", "maker");
            assertThat(leadingColumns(gi, true)).as("only unique fields are unique").doesNotContain("serial",
                    "name", "maker");
            assertThat(store.foreignKeys(g)).extracting(ForeignKey::column, ForeignKey::targetTable)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("maker", p + "crm_company"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rowsReadAsPlainValues(TestDatabase db) throws Exception {
        TestStore store = store(db);
        Crm crm = crm(db);
        {
            var s = crm.as(Principal.SYSTEM);
            String p = store.prefix;
            Record acme = s.records("company").create(Map.of("name", "Acme"));
            Record smith = s.records("contact").create(Map.of("last_name", "Smith", "company", acme.id(),
                    "address", new Address("1 Main St", "Leeds", null, "LS1", "GB")));
            Record jones = s.records("contact").create(Map.of("last_name", "Jones"));
            Record deal = s.records("deal").create(Map.of("name", "Skates", "amount", Money.of("12500", "GBP"),
                    "contacts", List.of(jones.id(), smith.id())));

            try (Connection c = store.connect()) {
                List<Object> row = one(c, "select `last_name`, `address__city`, `address__postal_code`, `company`, "
                        + "`created_at`, `version`, `deleted_at` from `" + p + "crm_contact` where `last_name` = ?",
                        "Smith");
                assertThat(row.get(0)).isEqualTo("Smith");
                assertThat(row.get(1)).isEqualTo("Leeds");
                assertThat(row.get(2)).isEqualTo("LS1");
                assertThat(String.valueOf(row.get(3))).isEqualTo(acme.id().toString());
                // instants are UTC timestamps with microseconds
                assertThat(row.get(4)).isEqualTo(LocalDateTime.ofInstant(smith.createdAt(), ZoneOffset.UTC));
                assertThat(((Number) row.get(5)).longValue()).isEqualTo(1L);
                assertThat(row.get(6)).isNull();

                List<Object> d = one(c,
                        "select `amount`, `amount__currency`, `stage` from `" + p + "crm_deal` where `name` = ?",
                        "Skates");
                assertThat((BigDecimal) d.get(0)).isEqualByComparingTo("12500");
                assertThat(((BigDecimal) d.get(0)).scale()).isEqualTo(2);
                assertThat(d.subList(1, 3)).containsExactly("GBP", "prospecting");

                List<List<Object>> links = all(c, "select `record_id`, `target_id`, `ordinal` from `" + p
                        + "crm_deal__contacts` order by `ordinal`");
                assertThat(links).hasSize(2);
                assertThat(links).extracting(r -> String.valueOf(r.get(0))).containsOnly(deal.id().toString());
                // relation ids are kept in canonical (id) order; the ordinal column holds that order
                assertThat(deal.<UUID>getList("contacts")).containsExactlyInAnyOrder(jones.id(), smith.id());
                assertThat(links).extracting(r -> String.valueOf(r.get(1)))
                        .containsExactlyElementsOf(deal.<UUID>getList("contacts").stream().map(UUID::toString)
                                .toList());
                assertThat(links).extracting(r -> ((Number) r.get(2)).intValue()).containsExactly(0, 1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void multiPicklistIsSemicolonTextAndFilterable(TestDatabase db) throws Exception {
        TestStore store = store(db);
        Crm crm = crm(db);
        {
            RecordSet gadgets = crm.as(Principal.SYSTEM).records("gadget");
            Record ab = gadgets.create(Map.of("name", "g1", "tags", List.of("a", "b")));
            Record onlyAb = gadgets.create(Map.of("name", "g2", "tags", List.of("ab")));
            Record abc = gadgets.create(Map.of("name", "g3", "tags", List.of("a", "b", "c")));
            Record none = gadgets.create(Map.of("name", "g4"));

            try (Connection c = store.connect()) {
                assertThat(one(c, "select `tags` from `" + store.prefix + "crm_x_gadget` where `name` = ?", "g1"))
                        .containsExactly("a;b");
                assertThat(one(c, "select `tags` from `" + store.prefix + "crm_x_gadget` where `name` = ?", "g2"))
                        .containsExactly("ab");
                assertThat(
                        one(c, "select `tags` from `" + store.prefix + "crm_x_gadget` where `name` = ?", "g4").get(0))
                        .isNull();
            }
            assertThat(gadgets.get(ab.id()).getList("tags")).containsExactly("a", "b");
            assertThat(ids(gadgets, Filters.where("tags").hasAny("a"))).containsExactlyInAnyOrder(ab.id(), abc.id());
            assertThat(ids(gadgets, Filters.where("tags").hasAny("ab"))).containsExactly(onlyAb.id());
            assertThat(ids(gadgets, Filters.where("tags").hasAny("c", "ab")))
                    .containsExactlyInAnyOrder(onlyAb.id(), abc.id());
            assertThat(ids(gadgets, Filters.where("tags").hasAll("a", "b"))).containsExactlyInAnyOrder(ab.id(),
                    abc.id());
            assertThat(ids(gadgets, Filters.where("tags").hasAll("b", "c"))).containsExactly(abc.id());
            assertThat(ids(gadgets, Filters.not(Filters.where("tags").hasAny("a"))))
                    .containsExactlyInAnyOrder(onlyAb.id(), none.id());
            assertThat(ids(gadgets, Filters.where("tags").isNull())).containsExactly(none.id());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void fieldsAddedAndDeletedAtRunTimeChangeTheTable(TestDatabase db) throws Exception {
        TestStore store = store(db);
        Crm crm = crm(db);
        {
            String t = store.prefix + "crm_contact";
            crm.schema().addField("contact", Field.text("nickname").indexed(true));
            crm.schema().addField("contact", Field.address("billing"));
            crm.schema().addField("contact", Field.relation("friends", "contact"));
            assertThat(store.columns(t).keySet()).contains("nickname", "billing__city", "billing__country")
                    .doesNotContain("friends");
            assertThat(leadingColumns(store.indexes(t), false)).contains("nickname");
            assertThat(store.tables(store.prefix)).contains(t + "__friends");

            crm.schema().deleteField("contact", "nickname", DataPolicy.DISCARD_DATA);
            crm.schema().deleteField("contact", "billing", DataPolicy.DISCARD_DATA);
            crm.schema().deleteField("contact", "friends", DataPolicy.DISCARD_DATA);
            assertThat(store.columns(t).keySet()).doesNotContain("nickname", "billing__city", "billing__street");
            assertThat(leadingColumns(store.indexes(t), false)).doesNotContain("nickname");
            assertThat(store.tables(store.prefix)).doesNotContain(t + "__friends");
            // and the table still works
            Record r = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "After"));
            assertThat(crm.as(Principal.SYSTEM).records("contact").get(r.id()).getString("last_name"))
                    .isEqualTo("After");
        }
    }

    /**
     * A type that holds roll-ups has one more column, {@code crmkit__rollup_totals}, the exact totals the roll-ups
     * move by; other types do not. A table made before that column existed gets it when the storage opens.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rollupParentsKeepTheirTotalsInAColumnAddedToOlderTablesOnOpen(TestDatabase db) throws Exception {
        String company = "crm_company";
        String totals = "crmkit__rollup_totals";
        try (TestStore store = TestStore.create(db)) {
            String table = store.prefix + company;
            UUID acme;
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                assertThat(store.columns(table).keySet()).doesNotContain(totals);
                crm.schema().addField("company", Field.rollup("deals", "deal", "company",
                        org.crmkit.query.Metric.count(), org.crmkit.query.Filter.ALL));
                assertThat(store.columns(table).keySet()).contains(totals);
                assertThat(store.columns(store.prefix + "crm_deal").keySet()).doesNotContain(totals);
                acme = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme")).id();
                crm.as(Principal.SYSTEM).records("deal").create(Map.of("name", "d1", "company", acme));
            }
            try (Connection c = store.connect(); java.sql.Statement st = c.createStatement()) {
                String q = c.getMetaData().getIdentifierQuoteString();
                st.execute("ALTER TABLE " + q + table + q + " DROP COLUMN " + q + totals + q);
            }
            assertThat(store.columns(table).keySet()).doesNotContain(totals);
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                assertThat(store.columns(table).keySet()).as("added back on open").contains(totals);
                crm.as(Principal.SYSTEM).records("deal").create(Map.of("name", "d2", "company", acme));
                assertThat(crm.as(Principal.SYSTEM).records("company").get(acme).get("deals")).isEqualTo(2L);
            }
        }
    }

    /**
     * The longest names the schema allows (40-character type and field names) under the longest prefix (20) fit
     * every database's identifier limit: tables, link tables, structured-field columns, indexes, foreign keys.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theLongestNamesFit(TestDatabase db) throws Exception {
        String type = "t" + "y".repeat(39);
        String field = "f" + "i".repeat(39);
        try (TestStore store = TestStore.create(db, 20); Crm crm = Crm.builder().storage(store.open()).build()) {
            assertThat(store.prefix).hasSize(20);
            crm.schema().addObjectType(ObjectType.custom(type, "Long",
                    Field.text(field).unique(true).indexed(true),
                    Field.address("a" + "d".repeat(39)),
                    Field.currency("c" + "u".repeat(39)),
                    Field.reference("r" + "e".repeat(39), "company"),
                    Field.relation("l" + "n".repeat(39), "contact")));
            crm.schema().addField(type, Field.relation("m" + "n".repeat(39), type));
            RecordSet records = crm.as(Principal.SYSTEM).records(type);
            Record c = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "L"));
            Record co = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "C"));
            Record r = records.create(Map.of(field, "v", "a" + "d".repeat(39), new Address(null, "Leeds", null, null,
                    "GB"), "c" + "u".repeat(39), Money.of("1.50", "EUR"), "r" + "e".repeat(39), co.id(),
                    "l" + "n".repeat(39), List.of(c.id())));
            records.update(r, Map.of("m" + "n".repeat(39), List.of(r.id())));
            assertThat(records.count(Filters.where("a" + "d".repeat(39) + ".city").eq("Leeds"))).isEqualTo(1);
            assertThat(records.count(Filters.where("r" + "e".repeat(39) + ".name").eq("C"))).isEqualTo(1);
            assertThatThrownBy(() -> records.create(Map.of(field, "v")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .anyMatch(x -> x.field().equals(field) && x.code() == FieldErrorCode.NOT_UNIQUE));
            for (String t : store.tables(store.prefix)) {
                assertThat(t.length()).as(t).isLessThanOrEqualTo(60);
            }
            assertThat(store.tables(store.prefix)).hasSizeGreaterThanOrEqualTo(8 + 3);
            crm.schema().deleteObjectType(type, DataPolicy.DISCARD_DATA);
            assertThat(store.tables(store.prefix)).noneMatch(t -> t.contains("tyyyy"));
        }
    }

    /**
     * Unique and indexed text fields may be declared up to 500 characters (the schema refuses more, on every
     * storage): values at that limit in 4-byte characters (2,000 bytes of UTF-8) fit every database's index, and
     * so do the parts of an indexed address at 255 characters each.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void uniqueAndIndexedTextAtTheLongestLengthWorks(TestDatabase db) {
        Crm crm = crm(db);
        String emoji = "\uD83D\uDE00"; // one code point, 4 bytes of UTF-8
        String value = emoji.repeat(499) + "a";
        crm.schema().addObjectType(ObjectType.custom("longkey", "Long key",
                Field.text("code").maxLength(500).unique(true),
                Field.text("tag").maxLength(500).indexed(true),
                Field.address("site").indexed(true)));
        RecordSet records = crm.as(Principal.SYSTEM).records("longkey");
        String part = "\u4E2D".repeat(255); // 3 bytes of UTF-8 each
        records.create(Map.of("code", value, "tag", value, "site", new Address(part, part, part, part, "GB")));
        assertThatThrownBy(() -> records.create(Map.of("code", value)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .anyMatch(x -> x.field().equals("code") && x.code() == FieldErrorCode.NOT_UNIQUE));
        assertThat(records.count(Filters.where("code").eq(value))).isEqualTo(1);
        assertThat(records.count(Filters.where("tag").eq(value))).isEqualTo(1);
        assertThat(records.count(Filters.where("site.city").eq(part))).isEqualTo(1);
        for (Field tooLong : List.of(Field.text("code2").maxLength(501).unique(true),
                Field.text("tag2").maxLength(501).indexed(true))) {
            assertThatThrownBy(() -> crm.schema().addField("longkey", tooLong))
                    .isInstanceOfSatisfying(org.crmkit.error.SchemaException.class, e -> assertThat(e.problem())
                            .isEqualTo(org.crmkit.error.SchemaException.Problem.INVALID_DEFINITION));
        }
    }

    /**
     * With a table prefix, CRMKit's tables (system tables and Flyway's history included) all carry it, and a
     * second CRMKit without a prefix lives beside it in the same database, neither seeing the other.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyTableCarriesThePrefix(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.isolated(db, "erp_")) {
            UUID erpContact;
            try (Crm erp = Crm.builder().storage(store.open()).build()) {
                erp.schema().addObjectType(gadget());
                erpContact = erp.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Erp")).id();
            }
            Set<String> all = store.tables("");
            assertThat(all).as("tables of an isolated database holding only the erp_ storage").allSatisfy(
                    t -> assertThat(t).startsWith("erp_"));
            assertThat(all).contains("erp_crmkit_schema_history", "erp_crmkit_schema_pending",
                    "erp_crmkit_change_log", "erp_crmkit_change_seal", "erp_crmkit_lock", "erp_crmkit_import",
                    "erp_crmkit_identity",
                    "erp_crmkit_flyway_history",
                    "erp_crm_company", "erp_crm_contact", "erp_crm_lead", "erp_crm_deal", "erp_crm_activity",
                    "erp_crm_task", "erp_crm_deal__contacts", "erp_crm_x_gadget", "erp_crm_x_gadget__parts");
            for (String t : all) {
                for (Index i : store.indexes(t).values()) {
                    if (!i.name().equalsIgnoreCase("PRIMARY") && !i.name().startsWith("PRIMARY_KEY")
                            && !i.name().startsWith("CONSTRAINT_INDEX")) {
                        assertThat(i.name()).as("index %s on %s", i, t).startsWith("erp_");
                    }
                }
                for (ForeignKey fk : store.foreignKeys(t)) {
                    assertThat(fk.name()).as("foreign key %s on %s", fk, t).startsWith("erp_");
                }
            }

            // a CRMKit without prefix in the same database: its own tables, its own migrations, its own data
            try (TestStore plainStore = TestStore.sameDatabase(store, "");
                    Crm plain = Crm.builder().storage(plainStore.open()).build()) {
                assertThat(plain.schema().findObjectType("gadget")).isEmpty();
                assertThat(plain.as(Principal.SYSTEM).records("contact").find(erpContact)).isEmpty();
                assertThat(plain.as(Principal.SYSTEM).records("contact").count(Filters.all())).isZero();
                plain.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Plain"));
                assertThat(store.tables("")).contains("crmkit_flyway_history", "crmkit_change_log", "crm_contact");
            }
            try (Crm erp = Crm.builder().storage(store.open()).build()) {
                assertThat(erp.as(Principal.SYSTEM).records("contact").count(Filters.all())).isEqualTo(1);
                assertThat(erp.schema().findObjectType("gadget")).isPresent();
            }
        }
    }

    /**
     * A text column of {@code length} characters. Lengths are code points; H2 counts UTF-16 units, so an H2
     * column may be twice as long (see ErrorMappingTest.textAtTheLimitInCodePointsIsStored).
     */
    private void assertText(TestDatabase db, Column c, int length) {
        assertThat(c).as("column").isNotNull();
        assertThat(c.isText()).as("%s is text", c).isTrue();
        if (db == TestDatabase.H2) {
            assertThat(c.size()).as("%s length", c).isIn(length, 2 * length);
        } else {
            assertThat(c.size()).as("%s length", c).isEqualTo(length);
        }
    }

    /**
     * The column of a field with neither index nor unique constraint: on MariaDB a LONGTEXT, kept off the row so
     * that a few hundred fit in a table (see DatabaseStrategy.unindexedText); elsewhere as {@link #assertText}.
     */
    private void assertUnindexedText(TestDatabase db, Column c, int length) {
        if (db == TestDatabase.MARIADB) {
            assertThat(c).as("column").isNotNull();
            assertThat(c.typeName()).as("%s", c).isEqualToIgnoringCase("LONGTEXT");
        } else {
            assertText(db, c, length);
        }
    }

    private static void assertDecimal(Column c, int scale) {
        assertThat(c).as("column").isNotNull();
        assertThat(c.isDecimal()).as("%s is decimal", c).isTrue();
        assertThat(c.digits()).as("%s scale", c).isEqualTo(scale);
    }

    /** The first column of each index (unique ones, or all). */
    private static List<String> leadingColumns(Map<String, Index> indexes, boolean uniqueOnly) {
        return indexes.values().stream().filter(i -> !uniqueOnly || i.unique()).map(i -> i.columns().get(0)).toList();
    }

    private static List<UUID> ids(RecordSet records, org.crmkit.query.Filter filter) {
        return records.query(Query.where(filter).limit(100)).items().stream().map(Record::id).toList();
    }

    private static List<Object> one(Connection c, String sql, Object... args) throws SQLException {
        List<List<Object>> rows = all(c, sql, args);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    private static List<List<Object>> all(Connection c, String sql, Object... args) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        // identifiers are written `quoted`: H2 keeps CRMKit's lower-case names only when quoted (see the report)
        String quote = c.getMetaData().getIdentifierQuoteString();
        try (PreparedStatement ps = c.prepareStatement(sql.replace("`", quote))) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        int type = rs.getMetaData().getColumnType(i);
                        row.add(type == java.sql.Types.TIMESTAMP ? rs.getObject(i, LocalDateTime.class)
                                : rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}

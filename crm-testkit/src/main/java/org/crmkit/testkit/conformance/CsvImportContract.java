package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmkit.CrmSession;
import org.crmkit.data.csv.CsvError;
import org.crmkit.data.csv.CsvFormatException;
import org.crmkit.data.csv.CsvImport;
import org.crmkit.data.csv.CsvImportProgress;
import org.crmkit.data.csv.CsvImportResult;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Address;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CSV import ({@code session.csvImport(type)}) end to end on the storage: headers matched by name and label with
 * accents and case ignored, German numbers, dates, booleans, picklist labels and money, UTF-8 with and without a byte
 * order mark and Windows-1252, a dry run that writes nothing (no record, no change-log entry, no ledger row), a
 * malformed file that leaves exactly the batches before its bad line, resuming by import id, the rejected-rows file,
 * progress after each batch, and access control (hidden and read-only fields).
 */
public abstract class CsvImportContract extends ConformanceContract {
    private static final String GIZMO = "gizmo";
    private static final Locale DE = Locale.GERMANY;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @BeforeEach
    void gizmo() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        crm().schema().addObjectType(ObjectType.custom(GIZMO, "Gizmo",
                Field.text("name").label("Désignation").required(true),
                Field.text("code").unique(true),
                Field.decimal("price").label("Preis"),
                Field.currency("amount").label("Betrag"),
                Field.date("due").label("Fälligkeit"),
                Field.datetime("seen_at").label("Gesehen am"),
                Field.bool("active").label("Aktiv"),
                Field.picklist("stage").label("Phase").options(List.of(PicklistOption.of("won", "Gewonnen"),
                        PicklistOption.of("lost", "Verloren"))),
                Field.multiPicklist("tags").label("Schlagwörter").options(List.of(PicklistOption.of("red", "Rot"),
                        PicklistOption.of("green", "Grün"))),
                Field.address("addr").label("Anschrift"),
                Field.text("secret"),
                Field.longText("notes"),
                Field.formula("shout", FieldType.TEXT, "name + '!'")));
    }

    private CsvImport gizmos() {
        return system().csvImport(GIZMO);
    }

    private List<Record> stored() {
        return records(GIZMO).query(Query.all().orderBy(Sort.asc("name")).limit(1000)).items();
    }

    private Record named(String name) {
        return records(GIZMO).query(Filters.where("name").eq(name)).items().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no gizmo " + name));
    }

    private static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecord r : CsvReader.builder().ofCsvRecord(csv)) {
            rows.add(r.getFields());
        }
        return rows;
    }

    @Test
    void headersByNameOrLabelAndCellsInTheLocale() {
        String csv = """
                DESIGNATION;code;preis;Betrag;amount.currency;Fälligkeit;gesehen am;AKTIV;Phase;Schlagwörter;\
                addr.street;Anschrift City;addr.postal_code;Bemerkung;id;shout
                Widget;W-1;1.234,56;EUR 99,90;;31.12.2026;31.12.2026 14:30;ja;Gewonnen;"rot; GRÜN";Hauptstr. 1;Köln;\
                50667;egal;x;y
                Gadget;W-2;-0,5;1.234,56 €;;2026-01-02;2026-01-02T08:00:00Z;nein;lost;;;;;;;
                Doohickey;W-3;7;12,00;usd;1.2.2026;;1;verloren;Rot;;;;;;
                """;
        CsvImportResult r = gizmos().locale(DE).timeZone(BERLIN).separator(';').run("head", new StringReader(csv));
        assertThat(r.errors()).isEmpty();
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.created()).isEqualTo(3);
        assertThat(r.columns()).containsEntry("DESIGNATION", "name").containsEntry("preis", "price")
                .containsEntry("amount.currency", "amount.currency").containsEntry("Anschrift City", "addr.city")
                .containsEntry("gesehen am", "seen_at").containsEntry("Schlagwörter", "tags");
        assertThat(r.ignoredColumns()).containsExactly("Bemerkung", "id", "shout");
        Record w = named("Widget");
        assertThat(w.get("code")).isEqualTo("W-1");
        assertThat(w.get("price")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(w.get("amount")).isEqualTo(Money.of("99.90", "EUR"));
        assertThat(w.get("due")).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(w.get("seen_at")).isEqualTo(Instant.parse("2026-12-31T13:30:00Z"));
        assertThat(w.get("active")).isEqualTo(true);
        assertThat(w.get("stage")).isEqualTo("won");
        assertThat(w.getList("tags")).containsExactly("red", "green");
        assertThat(w.get("addr")).isEqualTo(new Address("Hauptstr. 1", "Köln", null, "50667", null));
        Record g = named("Gadget");
        assertThat(g.get("price")).isEqualTo(new BigDecimal("-0.50"));
        assertThat(g.get("amount")).isEqualTo(Money.of("1234.56", "EUR"));
        assertThat(g.get("seen_at")).isEqualTo(Instant.parse("2026-01-02T08:00:00Z"));
        assertThat(g.get("active")).isEqualTo(false);
        assertThat(g.get("stage")).isEqualTo("lost");
        Record d = named("Doohickey");
        assertThat(d.get("amount")).isEqualTo(Money.of("12.00", "USD"));
        assertThat(d.get("due")).isEqualTo(LocalDate.of(2026, 2, 1));
        assertThat(d.get("seen_at")).isNull();
        assertThat(d.get("stage")).isEqualTo("lost");
    }

    @Test
    void utf8WithOrWithoutByteOrderMarkAndWindows1252() {
        String csv = "Designation,Preis,notes\r\n%s,\"1.234,56\",Köln – Straße €\r\n";
        byte[] plain = csv.formatted("Renée").getBytes(StandardCharsets.UTF_8);
        byte[] text = csv.formatted("Zoë").getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[text.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bom, 3, text.length);
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] windows = csv.formatted("Françoise").getBytes(cp1252);
        gizmos().locale(DE).run("utf8", new ByteArrayInputStream(plain));
        gizmos().locale(DE).run("bom", new ByteArrayInputStream(bom));
        gizmos().locale(DE).charset(cp1252).run("cp1252", new ByteArrayInputStream(windows));
        assertThat(stored()).extracting(x -> x.get("name")).containsExactly("Françoise", "Renée", "Zoë");
        assertThat(stored()).allSatisfy(x -> {
            assertThat(x.get("notes")).isEqualTo("Köln – Straße €");
            assertThat(x.get("price")).isEqualTo(new BigDecimal("1234.56"));
        });
        // the Windows file read as UTF-8 is refused, naming the line, and writes nothing
        CsvFormatException e = catchThrowableOfType(CsvFormatException.class,
                () -> gizmos().run("wrong", new ByteArrayInputStream(windows)));
        assertThat(e.problem()).isEqualTo(CsvFormatException.Problem.ENCODING);
        assertThat(e.line()).isEqualTo(2);
        assertThat(stored()).hasSize(3);
    }

    @Test
    void aDryRunChecksEveryRowAndWritesNothingNotEvenTheLedger() {
        records(GIZMO).create(Map.of("name", "Old", "code", "TAKEN"));
        records(GIZMO).create(Map.of("name", "Gone", "code", "DELETED"));
        Record gone = named("Gone");
        records(GIZMO).delete(gone.id(), gone.version());
        String csv = """
                name,code,price
                A,TAKEN,1
                B,C1,2
                C,C1,3
                D,C2,abc
                ,C3,5
                F,C4,6
                G,DELETED,7
                """;
        long before = crm().changeLog().lastSequence();
        StringWriter rejected = new StringWriter();
        CsvImportResult dry = gizmos().options(ImportOptions.defaults().batchSize(2)).dryRun(true)
                .rejectedRows(rejected).run("dry", new StringReader(csv));
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.rows()).isEqualTo(7);
        assertThat(dry.created()).isEqualTo(2);
        assertThat(dry.failed()).isEqualTo(5);
        assertThat(dry.errors()).extracting(CsvError::line, CsvError::field, CsvError::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, "code", FieldErrorCode.NOT_UNIQUE),
                org.assertj.core.groups.Tuple.tuple(4L, "code", FieldErrorCode.NOT_UNIQUE),
                org.assertj.core.groups.Tuple.tuple(5L, "price", FieldErrorCode.WRONG_TYPE),
                org.assertj.core.groups.Tuple.tuple(6L, "name", FieldErrorCode.REQUIRED),
                org.assertj.core.groups.Tuple.tuple(8L, "code", FieldErrorCode.NOT_UNIQUE));
        assertThat(parse(rejected.toString())).hasSize(6);
        assertThat(logAfter(before)).isEmpty();
        assertThat(stored()).extracting(x -> x.get("name")).containsExactly("Old");
        // the real run finds the same problems, and no row of the dry run in the ledger
        CsvImportResult real = gizmos().options(ImportOptions.defaults().batchSize(2)).run("dry",
                new StringReader(csv));
        assertThat(real.skipped()).isZero();
        assertThat(real.created()).isEqualTo(2);
        assertThat(real.errors()).extracting(CsvError::line, CsvError::field, CsvError::code)
                .containsExactlyElementsOf(dry.errors().stream().map(x -> org.assertj.core.groups.Tuple.tuple(
                        x.line(), x.field(), x.code())).toList());
        assertThat(stored()).extracting(x -> x.get("name")).containsExactly("B", "F", "Old");
        // a dry run after it reports the created rows as skipped
        CsvImportResult again = gizmos().dryRun(true).run("dry", new StringReader(csv));
        assertThat(again.skipped()).isEqualTo(2);
        assertThat(again.created()).isZero();
    }

    @Test
    void aMalformedLineLeavesExactlyTheBatchesBeforeItsBatchAndTheImportResumes() {
        StringBuilder good = new StringBuilder("name,code\n");
        for (int i = 1; i <= 9; i++) {
            good.append("n").append(i).append(",c").append(i).append('\n');
        }
        String bad = good.toString().replace("n8,c8", "n8,c8,extra");
        ImportOptions threes = ImportOptions.defaults().batchSize(3);
        CsvFormatException e = catchThrowableOfType(CsvFormatException.class,
                () -> gizmos().options(threes).run("resume", new StringReader(bad)));
        assertThat(e.problem()).isEqualTo(CsvFormatException.Problem.COLUMN_COUNT);
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.getMessage()).startsWith("line 9: ").contains("resume");
        assertThat(stored()).extracting(x -> x.get("name")).containsExactly("n1", "n2", "n3", "n4", "n5", "n6");
        CsvImportResult fixed = gizmos().options(threes).run("resume", new StringReader(good.toString()));
        assertThat(fixed.skipped()).isEqualTo(6);
        assertThat(fixed.created()).isEqualTo(3);
        assertThat(stored()).hasSize(9);
    }

    @Test
    void anUnclosedQuoteAtTheEndLeavesTheBatchesBeforeIt() {
        String csv = "name,notes\nn1,a\nn2,b\nn3,c\nn4,\"never closed\nn5,e\n";
        CsvFormatException e = catchThrowableOfType(CsvFormatException.class,
                () -> gizmos().options(ImportOptions.defaults().batchSize(2)).run("open", new StringReader(csv)));
        assertThat(e.problem()).isEqualTo(CsvFormatException.Problem.UNCLOSED_QUOTE);
        assertThat(e.line()).isEqualTo(5);
        assertThat(stored()).extracting(x -> x.get("name")).containsExactly("n1", "n2");
        // in a dry run the same error, and nothing at all
        CsvFormatException dry = catchThrowableOfType(CsvFormatException.class,
                () -> gizmos().dryRun(true).run("open-dry", new StringReader(csv)));
        assertThat(dry.line()).isEqualTo(5);
        assertThat(dry.getMessage()).contains("nothing was written");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void rejectedRowsAreWrittenAsReadWithTheirErrorsAndNoFormula() throws IOException {
        String csv = "name,due,notes,price\r\n"
                + "ok,2026-01-01,\"two\nlines\",1\r\n"
                + "\"=HYPERLINK(\"\"http://evil\"\")\",31.02.2026,x,abc\r\n"
                + ",,\"+1 and more\",2\r\n";
        Path file = Files.createTempFile("rejected", ".csv");
        try {
            CsvImportResult r = gizmos().rejectedRows(file).run("rejects", new StringReader(csv));
            assertThat(r.created()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(2);
            assertThat(r.errors()).extracting(CsvError::line, CsvError::row, CsvError::column, CsvError::field)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, 2L, "due", "due"),
                            org.assertj.core.groups.Tuple.tuple(4L, 2L, "price", "price"),
                            org.assertj.core.groups.Tuple.tuple(5L, 3L, "name", "name"));
            assertThat(r.errors().get(0).message()).contains("31.02.2026");
            String written = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(written).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"").contains("\"'+1 and more\"");
            List<List<String>> rows = parse(written);
            assertThat(rows.get(0)).containsExactly("name", "due", "notes", "price", "error");
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1).subList(0, 4)).containsExactly("'=HYPERLINK(\"http://evil\")", "31.02.2026", "x",
                    "abc");
            assertThat(rows.get(1).get(4)).contains("due: ").contains("price: ");
            assertThat(rows.get(2).subList(0, 4)).containsExactly("", "", "'+1 and more", "2");
            assertThat(rows.get(2).get(4)).startsWith("name: ");
            // the rejected file, fixed and imported again, reads its guarded cells back as they were
            String fixed = written.replace("31.02.2026", "2026-02-28").replace(",abc,", ",3,")
                    .replace("\r\n\"\",", "\r\nnamed,"); // an empty cell is written ""
            Files.writeString(file, fixed, StandardCharsets.UTF_8);
            CsvImportResult again = gizmos().run("rejects-fixed", file);
            assertThat(again.ignoredColumns()).containsExactly("error");
            assertThat(again.created()).as("%s", again.errors()).isEqualTo(2);
            assertThat(named("=HYPERLINK(\"http://evil\")").get("due")).isEqualTo(LocalDate.of(2026, 2, 28));
            assertThat(named("named").get("notes")).isEqualTo("+1 and more");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A reference column names the record by a key ({@code ImportOptions.resolve}): an existing company by its ERP
     * number, a missing one created from the key and the {@code company.<field>} columns; without createMissing an
     * unknown key is the row's error, the rest imported.
     */
    @Test
    void referencesResolveByKeyAndMissingParentsAreCreatedFromTheirColumns() {
        crm().schema().addField("company", Field.externalId("erp_number"));
        crm().schema().addField(GIZMO, Field.reference("maker", "company"));
        Record acme = records("company").create(Map.of("name", "Acme", "erp_number", "K-1"));
        String csv = "name,maker,maker.name\nfirst,K-1,\nsecond,K-2,Globex\nthird,K-2,\n";
        CsvImportResult r = gizmos().options(ImportOptions.defaults()
                .resolve("maker", ReferenceLookup.by("erp_number").createMissing()))
                .run("by-key", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.created()).isEqualTo(3);
        assertThat(named("first").get("maker")).isEqualTo(acme.id());
        Object globex = named("second").get("maker");
        assertThat(named("third").get("maker")).isEqualTo(globex);
        Record made = records("company").get((java.util.UUID) java.util.Objects.requireNonNull(globex));
        assertThat(made.values()).containsEntry("name", "Globex").containsEntry("erp_number", "K-2");

        CsvImportResult strict = gizmos().options(ImportOptions.defaults()
                .resolve("maker", ReferenceLookup.by("erp_number")))
                .run("strict", new ByteArrayInputStream("name,maker\nfourth,K-1\nfifth,K-9\n"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(strict.created()).isEqualTo(1);
        assertThat(strict.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.message()).contains("K-9");
        });
    }

    @Test
    void progressIsToldAfterEachBatch() {
        String csv = "name,price\na,1\nb,2\nc,x\nd,4\ne,5\n";
        List<CsvImportProgress> told = new ArrayList<>();
        CsvImportResult r = gizmos().options(ImportOptions.defaults().batchSize(2)).onProgress(told::add)
                .run("progress", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.created()).isEqualTo(4);
        assertThat(told).extracting(CsvImportProgress::rows, CsvImportProgress::created, CsvImportProgress::failed,
                CsvImportProgress::line).containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 2L, 0L, 3L),
                        org.assertj.core.groups.Tuple.tuple(4L, 3L, 1L, 5L),
                        org.assertj.core.groups.Tuple.tuple(5L, 4L, 1L, 6L));
        assertThat(told.get(2).bytesRead()).isEqualTo(csv.length());
        assertThat(told).allSatisfy(p -> assertThat(p.totalBytes()).isEqualTo(-1));
    }

    @Test
    void hiddenAndReadOnlyFieldsAreRefusedWhenMappedAndLeftOutWhenMatched() throws IOException {
        Role rep = Role.builder("csv_rep").grant(GIZMO, RecordScope.ALL, Permission.READ, Permission.CREATE)
                .field(GIZMO, "secret", FieldAccess.HIDDEN).field(GIZMO, "notes", FieldAccess.READ_ONLY).build();
        CsvSession as = new CsvSession(crm().as(Principal.user("rep", rep)));
        String csv = "name,secret,notes\nA,s3cret,n\n";
        Path rejected = Files.createTempFile("rejected", ".csv");
        Files.delete(rejected);
        ValidationException hidden = catchThrowableOfType(ValidationException.class, () -> as.csv()
                .column("secret", "secret").rejectedRows(rejected).run("h", new StringReader(csv)));
        ValidationException unknown = catchThrowableOfType(ValidationException.class, () -> as.csv()
                .column("secret", "nosuch").run("h", new StringReader(csv)));
        assertThat(hidden.errors()).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
            assertThat(x.message()).isEqualTo(unknown.errors().get(0).message().replace("nosuch", "secret"));
        });
        assertThat(Files.exists(rejected)).isFalse();
        ValidationException readOnly = catchThrowableOfType(ValidationException.class, () -> as.csv()
                .column("notes", "notes").run("r", new StringReader(csv)));
        assertThat(readOnly.errors()).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("notes");
            assertThat(x.code()).isEqualTo(FieldErrorCode.READ_ONLY);
        });
        ValidationException formula = catchThrowableOfType(ValidationException.class, () -> gizmos()
                .column("notes", "shout").run("f", new StringReader(csv)));
        assertThat(formula.errors().get(0).code()).isEqualTo(FieldErrorCode.READ_ONLY);
        assertThat(stored()).isEmpty();
        // matched by name, both columns are left out: the caller learns nothing of the hidden one
        CsvImportResult r = as.csv().run("i", new StringReader(csv));
        assertThat(r.created()).isEqualTo(1);
        assertThat(r.columns()).containsOnlyKeys("name");
        assertThat(r.ignoredColumns()).containsExactly("secret", "notes");
        assertThat(named("A").get("secret")).isNull();
        assertThat(named("A").get("notes")).isNull();
        // a principal who may not create gets nothing read
        Role reader = Role.builder("csv_reader").grant(GIZMO, RecordScope.ALL, Permission.READ).build();
        assertThatThrownBy(() -> crm().as(Principal.user("ro", reader)).csvImport(GIZMO).run("x",
                new StringReader(csv))).isInstanceOf(AccessDeniedException.class);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void badSettingsAndColumnsFailBeforeAnythingIsRead() {
        String csv = "name,Name,price\nA,B,1\n";
        ValidationException twice = catchThrowableOfType(ValidationException.class,
                () -> gizmos().run("twice", new StringReader(csv)));
        assertThat(twice.errors()).singleElement().satisfies(x -> assertThat(x.code())
                .isEqualTo(FieldErrorCode.NOT_UNIQUE));
        CsvImportResult fixed = gizmos().ignoreColumn("Name").run("twice", new StringReader(csv));
        assertThat(fixed.created()).isEqualTo(1);
        ValidationException missing = catchThrowableOfType(ValidationException.class,
                () -> gizmos().column("Nope", "name").column("price", "addr").run("m", new StringReader(csv)));
        // every problem at once: the missing header, the address mapped whole, the two columns both named name
        assertThat(missing.errors()).extracting(x -> x.code()).containsExactlyInAnyOrder(
                FieldErrorCode.UNKNOWN_FIELD, FieldErrorCode.UNKNOWN_FIELD, FieldErrorCode.NOT_UNIQUE);
        assertThatThrownBy(() -> gizmos().run("", new StringReader(csv))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> gizmos().keepErrors(-1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> system().csvImport("nosuchtype")).isInstanceOf(
                org.crmkit.error.SchemaException.class);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void anExportImportsAsItIs() {
        records(GIZMO).create(Map.of("name", "Round", "code", "R-1", "price", new BigDecimal("-12.50"), "amount",
                Money.of("99.90", "EUR"), "tags", List.of("red", "green"), "notes", "=cmd", "addr",
                new Address("1 Main St", "Springfield", null, "12345", "US")));
        StringWriter out = new StringWriter();
        system().export().csv(GIZMO, Query.all(), out);
        records(GIZMO).purge(named("Round").id());
        CsvImportResult r = gizmos().run("round", new StringReader(out.toString()));
        assertThat(r.errors()).isEmpty();
        Record back = named("Round");
        assertThat(back.get("price")).isEqualTo(new BigDecimal("-12.50"));
        assertThat(back.get("amount")).isEqualTo(Money.of("99.90", "EUR"));
        assertThat(back.getList("tags")).containsExactly("red", "green");
        assertThat(back.get("notes")).isEqualTo("=cmd");
        assertThat(back.get("addr")).isEqualTo(new Address("1 Main St", "Springfield", null, "12345", "US"));
        assertThat(r.ignoredColumns()).contains("id", "version", "created_at", "updated_at", "shout");
    }

    /** A principal's session, for reading the access tests. */
    private record CsvSession(CrmSession session) {
        CsvImport csv() {
            return session.csvImport(GIZMO);
        }
    }
}

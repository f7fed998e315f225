package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.data.csv.CsvError;
import org.crmkit.data.csv.CsvFormatException;
import org.crmkit.data.csv.CsvImport;
import org.crmkit.data.csv.CsvImportResult;
import org.crmkit.error.ValidationException;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A CSV file a user uploads, read by {@code session.csvImport(type)} (FastCSV, then {@code internal.csv}: header
 * matching, locale numbers and dates, money, picklist labels) as a dry run: a {@link CsvImportResult} whose rows are
 * each counted once, created, skipped or failed, with errors naming line and field; or a {@link CsvFormatException}
 * naming the line. The rejected rows it writes (comma-separated, whatever the import's separator) read again as CSV,
 * one row for each failed row. Input: the first byte picks the import ({@code '0'} contacts, root locale, {@code ,};
 * {@code '1'} contacts, German, {@code ;}, Windows-1252; {@code '2'} deals, US; {@code '3'} companies, French,
 * {@code ;}; {@code '4'} leads, tab-separated), the rest is the file's bytes.
 */
class CsvImportFuzzTest {
    private record Setup(String type, Locale locale, char separator, Charset charset) {}

    private static final List<Setup> SETUPS = List.of(new Setup("contact", Locale.ROOT, ',', StandardCharsets.UTF_8),
            new Setup("contact", Locale.GERMANY, ';', Charset.forName("windows-1252")),
            new Setup("deal", Locale.US, ',', StandardCharsets.UTF_8),
            new Setup("company", Locale.FRANCE, ';', StandardCharsets.UTF_8),
            new Setup("lead", Locale.ROOT, '\t', StandardCharsets.UTF_8));

    private static Crm crm;
    private static CrmSession rep;

    @BeforeAll
    static void start() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        rep.records("company").create(Map.of("name", "Acme Ltd"));
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void csvFile(byte[] data) {
        Setup setup = SETUPS.get(FuzzInput.choice(data, SETUPS.size()));
        byte[] file = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        StringWriter rejected = new StringWriter();
        CsvImportResult result;
        try {
            result = importer(setup).rejectedRows(rejected).run("fuzz", new ByteArrayInputStream(file));
        } catch (CsvFormatException e) {
            FuzzInput.refused(e);
            assertThat(e.line()).isPositive();
            return;
        } catch (ValidationException e) {
            FuzzInput.refused(e);
            return;
        }
        assertThat(result.dryRun()).isTrue();
        assertThat(result.created() + result.skipped() + result.failed()).isEqualTo(result.rows());
        for (CsvError error : result.errors()) {
            assertThat(error.line()).isGreaterThanOrEqualTo(2);
            assertThat(error.field()).isNotBlank();
        }
        if (result.failed() > 0) {
            // the rejected rows are RFC 4180 CSV, comma-separated whatever the import's separator
            CsvImportResult again = importer(setup).separator(',').run("fuzz-rejected",
                    new StringReader(rejected.toString()));
            assertThat(again.rows()).as("rows of the rejected-rows file:%n%s", rejected).isEqualTo(result.failed());
        }
    }

    private static CsvImport importer(Setup setup) {
        return rep.csvImport(setup.type()).dryRun(true).locale(setup.locale()).separator(setup.separator())
                .charset(setup.charset());
    }
}

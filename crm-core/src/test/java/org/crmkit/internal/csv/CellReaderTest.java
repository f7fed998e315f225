package org.crmkit.internal.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Cells read in a locale: numbers, money, dates, date-times, booleans, picklists, text. */
class CellReaderTest {
    private static final Locale DE = Locale.GERMANY;
    private static final Field DECIMAL = Field.decimal("price");
    private static final Field MONEY = Field.currency("amount");
    private static final Field DATE = Field.date("due");
    private static final Field WHEN = Field.datetime("seen_at");

    private static @Nullable Object read(Locale locale, Field field, String cell) {
        return new CellReader(locale, ZoneOffset.UTC).read(field, cell, new ArrayList<>());
    }

    private static List<FieldError> errors(Locale locale, Field field, String cell) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(new CellReader(locale, ZoneOffset.UTC).read(field, cell, errors)).isNull();
        return errors;
    }

    @Test
    void numbersInTheLocalesNotation() {
        assertThat(read(DE, DECIMAL, "1.234,56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(DE, DECIMAL, "1234,56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(DE, DECIMAL, "-1.234.567")).isEqualTo(new BigDecimal("-1234567"));
        assertThat(read(DE, DECIMAL, ",5")).isEqualTo(new BigDecimal("0.5"));
        assertThat(read(Locale.US, DECIMAL, "1,234.56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(Locale.ROOT, DECIMAL, " 1234.56 ")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(Locale.FRANCE, DECIMAL, "1 234,56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(Locale.FRANCE, DECIMAL, "1\u202f234,56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(Locale.forLanguageTag("de-CH"), DECIMAL, "1'234.56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(read(DE, Field.percent("rate"), "12,5 %")).isEqualTo(new BigDecimal("12.5"));
        assertThat(read(DE, Field.integer("qty"), "1.000")).isEqualTo(new BigDecimal("1000"));
    }

    @Test
    void aNumberInAnotherLocalesNotationIsAnErrorNotAGuess() {
        for (String bad : List.of("1.5", "1234.56", "1,2,3", "12.34.567", "1.2345", "abc", "1e5", "--1", "")) {
            List<FieldError> e = errors(DE, DECIMAL, bad.isEmpty() ? "-" : bad);
            assertThat(e).singleElement().satisfies(x -> {
                assertThat(x.field()).isEqualTo("price");
                assertThat(x.code()).isEqualTo(FieldErrorCode.WRONG_TYPE);
                assertThat(x.message()).contains("1.234,56");
            });
        }
        assertThat(errors(Locale.US, DECIMAL, "1.234,56")).hasSize(1);
    }

    @Test
    void moneyWithACodeOrASymbolOrNeither() {
        assertThat(read(DE, MONEY, "EUR 1.234,56")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"), "EUR"));
        assertThat(read(DE, MONEY, "1.234,56 EUR")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"), "EUR"));
        assertThat(read(DE, MONEY, "1.234,56 €")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"), "EUR"));
        assertThat(read(Locale.US, MONEY, "€1,234.56")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"),
                "EUR"));
        assertThat(read(Locale.US, MONEY, "-$5")).isEqualTo(new MoneyText.Amount(new BigDecimal("-5"), "USD"));
        assertThat(read(Locale.US, MONEY, "£12.50")).isEqualTo(new MoneyText.Amount(new BigDecimal("12.50"), "GBP"));
        assertThat(read(Locale.ROOT, MONEY, "1234.56 usd")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"),
                "USD"));
        assertThat(read(Locale.ROOT, MONEY, "1234.56")).isEqualTo(new MoneyText.Amount(new BigDecimal("1234.56"),
                null));
        assertThat(errors(DE, MONEY, "EUR zwölf")).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(FieldErrorCode.WRONG_TYPE));
        assertThat(errors(DE, MONEY, "XYZ 12")).hasSize(1);
    }

    @Test
    void datesAsIsoOrTheLocalesShortAndMediumForms() {
        LocalDate d = LocalDate.of(2026, 3, 31);
        assertThat(read(DE, DATE, "2026-03-31")).isEqualTo(d);
        assertThat(read(DE, DATE, "31.03.2026")).isEqualTo(d);
        assertThat(read(DE, DATE, "31.3.2026")).isEqualTo(d);
        assertThat(read(Locale.US, DATE, "3/31/2026")).isEqualTo(d);
        assertThat(read(Locale.US, DATE, "03/31/2026")).isEqualTo(d);
        assertThat(read(Locale.US, DATE, "Mar 31, 2026")).isEqualTo(d);
        assertThat(read(Locale.US, DATE, "march 31, 2026")).isEqualTo(d);
        assertThat(read(Locale.UK, DATE, "31/03/2026")).isEqualTo(d);
        assertThat(read(Locale.FRANCE, DATE, "31/03/2026")).isEqualTo(d);
    }

    @Test
    void impossibleDatesAndTwoDigitYearsAreErrors() {
        assertThat(errors(DE, DATE, "31.02.2026")).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(FieldErrorCode.WRONG_TYPE);
            assertThat(e.message()).contains("'31.02.2026' is not a date").contains("2026-03-31");
        });
        assertThat(errors(Locale.US, DATE, "3/31/26")).hasSize(1);
        assertThat(errors(Locale.US, DATE, "31/3/2026")).hasSize(1);
        assertThat(errors(DE, DATE, "morgen")).hasSize(1);
    }

    @Test
    void dateTimesWithAnOffsetOrInTheZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CellReader r = new CellReader(DE, berlin);
        List<FieldError> e = new ArrayList<>();
        assertThat(r.read(WHEN, "2026-03-31T14:30:00Z", e)).isEqualTo(Instant.parse("2026-03-31T14:30:00Z"));
        assertThat(r.read(WHEN, "2026-03-31T14:30:00+02:00", e)).isEqualTo(Instant.parse("2026-03-31T12:30:00Z"));
        assertThat(r.read(WHEN, "2026-03-31 14:30", e)).isEqualTo(Instant.parse("2026-03-31T12:30:00Z"));
        assertThat(r.read(WHEN, "31.03.2026 14:30", e)).isEqualTo(Instant.parse("2026-03-31T12:30:00Z"));
        assertThat(r.read(WHEN, "31.03.2026, 14:30", e)).isEqualTo(Instant.parse("2026-03-31T12:30:00Z"));
        assertThat(r.read(WHEN, "31.03.2026", e)).isEqualTo(Instant.parse("2026-03-30T22:00:00Z"));
        CellReader us = new CellReader(Locale.US, ZoneOffset.UTC);
        assertThat(us.read(WHEN, "3/31/2026, 2:30 PM", e)).isEqualTo(Instant.parse("2026-03-31T14:30:00Z"));
        assertThat(us.read(WHEN, "3/31/2026 2:30 pm", e)).isEqualTo(Instant.parse("2026-03-31T14:30:00Z"));
        assertThat(e).isEmpty();
        assertThat(errors(DE, WHEN, "31.03.2026 25:00")).hasSize(1);
    }

    @Test
    void booleansInManyWords() {
        for (String yes : List.of("true", "TRUE", "yes", "Y", "1", "on")) {
            assertThat(read(Locale.ROOT, Field.bool("active"), yes)).isEqualTo(true);
        }
        for (String no : List.of("false", "No", "n", "0", "off")) {
            assertThat(read(Locale.ROOT, Field.bool("active"), no)).isEqualTo(false);
        }
        assertThat(read(DE, Field.bool("active"), "Ja")).isEqualTo(true);
        assertThat(read(DE, Field.bool("active"), "nein")).isEqualTo(false);
        assertThat(read(Locale.forLanguageTag("es"), Field.bool("active"), "Sí")).isEqualTo(true);
        assertThat(read(Locale.FRANCE, Field.bool("active"), "non")).isEqualTo(false);
        assertThat(errors(Locale.ROOT, Field.bool("active"), "ja")).hasSize(1);
        assertThat(errors(DE, Field.bool("active"), "vielleicht")).hasSize(1);
    }

    @Test
    void picklistsByValueOrLabelIgnoringCaseAndAccents() {
        Field stage = Field.picklist("stage").options(List.of(PicklistOption.of("qualified", "Qualifiziert"),
                PicklistOption.of("closed_won", "Gewonnen (geschlossen)"), PicklistOption.of("etude", "Étude")));
        assertThat(read(DE, stage, "qualified")).isEqualTo("qualified");
        assertThat(read(DE, stage, "QUALIFIZIERT")).isEqualTo("qualified");
        assertThat(read(DE, stage, "gewonnen geschlossen")).isEqualTo("closed_won");
        assertThat(read(DE, stage, "etude")).isEqualTo("etude");
        assertThat(read(DE, stage, "ÉTUDE")).isEqualTo("etude");
        assertThat(read(DE, stage, "Closed Won")).isEqualTo("closed_won");
        assertThat(read(DE, stage, "verloren")).isEqualTo("verloren"); // the engine refuses it: UNKNOWN_OPTION
        Field tags = Field.multiPicklist("tags").options(List.of(PicklistOption.of("a", "Alpha"), PicklistOption.of("b",
                "Beta")));
        assertThat(read(DE, tags, "alpha; B ;")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void textAsItIsButTheExportsFormulaGuardUndone() {
        assertThat(read(DE, Field.text("name"), "  Ada ")).isEqualTo("  Ada ");
        assertThat(read(DE, Field.phone("phone"), "'+442079460958")).isEqualTo("+442079460958");
        assertThat(read(DE, Field.text("name"), "'=1+1")).isEqualTo("=1+1");
        assertThat(read(DE, Field.text("name"), "'quoted'")).isEqualTo("'quoted'");
        assertThat(read(DE, Field.relation("partners", "company"), "a; b")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void namesMatchIgnoringCaseAccentsSpacesAndPunctuation() {
        assertThat(CellText.key("E-Mail")).isEqualTo("email");
        assertThat(CellText.key("first_name")).isEqualTo(CellText.key("First Name"));
        assertThat(CellText.key("Prénom")).isEqualTo("prenom");
        assertThat(CellText.key("Straße")).isEqualTo("strasse");
    }
}

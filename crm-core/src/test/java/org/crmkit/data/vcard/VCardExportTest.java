package org.crmkit.data.vcard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.property.Email;
import ezvcard.property.Telephone;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.query.Query;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Contacts imported from real-world vCards, exported as vCard 3.0 and 4.0 and read back with ez-vcard. */
class VCardExportTest {
    private final Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
    private final CrmSession admin = crm.as(Principal.SYSTEM);

    @AfterEach
    void close() {
        crm.close();
    }

    private List<VCardContact> importSample(String name) {
        List<VCardContact> seen = new ArrayList<>();
        try (VCardContacts cards = VCards.read(VCardsTest.sample(name))) {
            ImportResult r = admin.records("contact").importRecords(name, cards.rows(seen::add));
            assertThat(r.errors()).isEmpty();
            assertThat(r.created()).isEqualTo(seen.size());
        }
        return seen;
    }

    private static List<VCard> export(CrmSession session, VCardVersion version) {
        StringWriter out = new StringWriter();
        long n = session.export().vcards(Query.all().limit(1), out, version);
        List<VCard> cards = new ArrayList<>(Ezvcard.parse(out.toString()).all());
        assertThat(cards).hasSize((int) n);
        cards.sort(Comparator.comparing(c -> c.getStructuredName().getFamily()));
        return cards;
    }

    @ParameterizedTest
    @EnumSource(VCardVersion.class)
    void roundTrip(VCardVersion version) {
        importSample("apple-contacts.vcf");
        importSample("google-contacts.vcf");
        importSample("outlook.vcf");
        List<VCard> cards = export(admin, version);
        assertThat(cards).extracting(c -> c.getStructuredName().getFamily())
                .containsExactly("Groß", "Lefèvre", "Müller", "O'Brien");
        assertThat(cards).allSatisfy(c -> assertThat(c.getVersion().getVersion())
                .isEqualTo(version == VCardVersion.V4_0 ? "4.0" : "3.0"));
        VCard mueller = cards.get(2);
        assertThat(mueller.getStructuredName().getGiven()).isEqualTo("Jürgen");
        assertThat(mueller.getFormattedName().getValue()).isEqualTo("Jürgen Müller");
        assertThat(mueller.getEmails()).extracting(Email::getValue)
                .containsExactly("juergen.mueller@baeckerei-mueller.de");
        assertThat(mueller.getTelephoneNumbers()).extracting(Telephone::getText)
                .containsExactlyInAnyOrder("+4930901820", "+4915123456789");
        ezvcard.property.Address adr = mueller.getAddresses().get(0);
        assertThat(List.of(adr.getStreetAddress(), adr.getLocality(), adr.getPostalCode(), adr.getCountry()))
                .containsExactly("Schönhauser Allee 12", "Berlin", "10119", "Deutschland");
        assertThat(mueller.getTitles().get(0).getValue()).isEqualTo("Geschäftsführer");
        assertThat(mueller.getNotes().get(0).getValue()).contains("nie freitags");
        VCard gross = cards.get(0);
        assertThat(gross.getEmails()).extracting(Email::getValue).containsExactly("bjoern.gross@mueller-soehne.de");
        assertThat(gross.getAddresses().get(0).getLocality()).isEqualTo("München");
        assertThat(gross.getPhotos()).isEmpty();
    }

    @Test
    void exportedCardsReadBackAsTheSameContacts() {
        List<VCardContact> imported = importSample("apple-contacts.vcf");
        StringWriter out = new StringWriter();
        admin.export().vcards(Query.all(), out, VCardVersion.V3_0);
        List<VCardContact> again = new ArrayList<>();
        try (VCardContacts cards = VCards.read(new java.io.StringReader(out.toString()))) {
            cards.forEach(again::add);
        }
        assertThat(again).extracting(c -> c.values().get("email")).containsExactlyInAnyOrderElementsOf(
                imported.stream().map(c -> c.values().get("email")).toList());
        assertThat(again).allSatisfy(c -> assertThat(c.warnings()).isEmpty());
    }

    @Test
    void organisationIsTheReferencedCompanysName() {
        Record acme = admin.records("company").create(Map.of("name", "Müller & Söhne; Einkauf, AG"));
        admin.records("contact").create(Map.of("last_name", "Groß", "company", acme.id()));
        VCard card = export(admin, VCardVersion.V4_0).get(0);
        assertThat(card.getOrganization().getValues()).containsExactly("Müller & Söhne; Einkauf, AG");

        Role noCompanies = Role.builder("no-companies").grant("contact", RecordScope.ALL, Permission.READ).build();
        VCard hidden = export(crm.as(Principal.user("u-2", noCompanies)), VCardVersion.V4_0).get(0);
        assertThat(hidden.getOrganization()).isNull();
    }

    @Test
    void hiddenFieldsAreNeverExported() {
        importSample("google-contacts.vcf");
        Role role = Role.builder("no-email").grant("contact", RecordScope.ALL, Permission.READ)
                .field("contact", "email", FieldAccess.HIDDEN).build();
        CrmSession rep = crm.as(Principal.user("u-1", role));
        for (VCardVersion version : VCardVersion.values()) {
            StringWriter out = new StringWriter();
            assertThat(rep.export().vcards(Query.all(), out, version)).isEqualTo(1);
            assertThat(out.toString()).doesNotContain("EMAIL").doesNotContain("acme-widgets")
                    .contains("O'Brien");
            assertThat(Ezvcard.parse(out.toString()).first().getEmails()).isEmpty();
        }
    }

    @Test
    void longValuesAreFoldedWithCrlf() {
        String note = "Ein sehr langer Hinweis über Öffnungszeiten, Zuständigkeiten und Sonderwünsche: ".repeat(4);
        admin.records("contact").create(Map.of("last_name", "Straßer", "description", note.strip()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        admin.export().vcards(Query.all(), bytes, VCardVersion.V3_0);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\r\n ").doesNotContain("\n\n").contains("\r\nN:Straßer;;;;\r\n");
        // ez-vcard (vinnie) folds at 75 characters, not octets; every reader we know unfolds either
        assertThat(text.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(75));
        assertThat(Ezvcard.parse(text).first().getNotes().get(0).getValue()).isEqualTo(note.strip());
    }

    @Test
    void aPrincipalWhoMayNotReadContactsExportsNothing() {
        Role none = Role.builder("none").grant("company", RecordScope.ALL, Permission.READ).build();
        StringWriter out = new StringWriter();
        assertThatThrownBy(() -> crm.as(Principal.user("u-3", none)).export().vcards(Query.all(), out,
                VCardVersion.V3_0)).isInstanceOf(AccessDeniedException.class);
        assertThat(out.toString()).isEmpty();
    }
}

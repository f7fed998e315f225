package org.crmkit.data.vcard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.record.Address;
import org.junit.jupiter.api.Test;

/** vCards as Apple Contacts, Google Contacts and Outlook write them, read as contacts. */
class VCardsTest {
    static Reader sample(String name) {
        return new InputStreamReader(Objects.requireNonNull(VCardsTest.class.getResourceAsStream(name), name),
                StandardCharsets.UTF_8);
    }

    static List<VCardContact> read(String name, boolean resource) {
        try (VCardContacts cards = VCards.read(resource ? sample(name) : new StringReader(name))) {
            List<VCardContact> out = new ArrayList<>();
            cards.forEach(out::add);
            return out;
        }
    }

    @Test
    void appleContacts() {
        List<VCardContact> cards = read("apple-contacts.vcf");
        assertThat(cards).hasSize(2);
        VCardContact j = cards.get(0);
        assertThat(j.number()).isEqualTo(1);
        assertThat(j.values()).containsEntry("last_name", "Müller").containsEntry("first_name", "Jürgen")
                .containsEntry("email", "juergen.mueller@baeckerei-mueller.de")
                .containsEntry("mobile", "+49 151 23456789").containsEntry("phone", "+49 30 901820")
                .containsEntry("title", "Geschäftsführer")
                .containsEntry("address", new Address("Schönhauser Allee 12", "Berlin", null, "10119",
                        "Deutschland"));
        assertThat((String) j.values().get("description")).contains("nie freitags").contains("gefaltet wird.");
        assertThat(j.companyName()).isEqualTo("Bäckerei Müller GmbH");
        assertThat(j.warnings()).anyMatch(w -> w.startsWith("photo ignored"))
                .anyMatch(w -> w.contains("j.mueller@gmx.de")).anyMatch(w -> w.contains("+49 30 4401234"))
                .anyMatch(w -> w.contains("Kastanienallee 7")).anyMatch(w -> w.contains("prefixes"))
                .noneMatch(w -> w.contains("X-ABLabel") || w.contains("X-ABUID"));
        VCardContact a = cards.get(1);
        assertThat(a.number()).isEqualTo(2);
        assertThat(a.values()).containsEntry("last_name", "Lefèvre").containsEntry("first_name", "Amélie")
                .containsEntry("mobile", "+33 6 12 34 56 78").doesNotContainKey("phone")
                .containsEntry("address", new Address("29 Boulevard Haussmann", "Paris", "Île-de-France", "75009",
                        "France"));
        assertThat(a.companyName()).isEqualTo("Société Générale");
        assertThat(a.warnings()).noneMatch(w -> w.startsWith("photo"));
    }

    @Test
    void googleContacts() {
        VCardContact z = read("google-contacts.vcf").get(0);
        assertThat(z.values()).containsEntry("last_name", "O'Brien").containsEntry("first_name", "Zoë")
                // no PREF: the work address is taken, the others are reported
                .containsEntry("email", "zoe.obrien@acme-widgets.co.uk")
                .containsEntry("mobile", "+44 7911 123456").containsEntry("phone", "+44 20 7946 0958")
                .containsEntry("title", "Head of Procurement")
                .containsEntry("address", new Address("221B Baker Street", "London", "Greater London", "NW1 6XE",
                        "United Kingdom"));
        assertThat(z.companyName()).isEqualTo("ACME Widgets Ltd.");
        assertThat(z.warnings()).anyMatch(w -> w.startsWith("photo ignored"))
                .anyMatch(w -> w.contains("zoe.obrien@gmail.com")).anyMatch(w -> w.contains("zoe@obrien.family"))
                .anyMatch(w -> w.contains("1 Mayfair Place"))
                .anyMatch(w -> w.startsWith("properties not imported") && w.contains("BDAY") && w.contains("URL")
                        && w.contains("CATEGORIES"));
    }

    @Test
    void outlookVersion21QuotedPrintable() {
        VCardContact b = read("outlook.vcf").get(0);
        assertThat(b.values()).containsEntry("last_name", "Groß").containsEntry("first_name", "Björn")
                .containsEntry("email", "bjoern.gross@mueller-soehne.de")
                .containsEntry("mobile", "+49 170 1234567").containsEntry("phone", "+49 89 1234567")
                .containsEntry("title", "Leiter Einkauf")
                .containsEntry("description", "Ansprechpartner für Rahmenverträge; erreichbar Mo–Do.")
                .containsEntry("address", new Address("Leopoldstraße 12", "München", "Bayern", "80802",
                        "Deutschland"));
        assertThat(b.companyName()).isEqualTo("Müller & Söhne AG");
        assertThat(b.warnings()).anyMatch(w -> w.startsWith("photo ignored"))
                .anyMatch(w -> w.contains("bjoern.gross@outlook.de")).anyMatch(w -> w.contains("+49 89 1234599"))
                .anyMatch(w -> w.contains("X-MS-OL-DESIGN") && w.contains("X-MS-IMADDRESS"));
    }

    @Test
    void foldedLinesAndBareLineFeeds() {
        String card = "BEGIN:VCARD\nVERSION:3.0\nN:Ångström;Anders;;;\nFN:Anders Ångström\nNOTE:a long note th\n"
                + " at was folded\\, twice: once he\n re.\nEND:VCARD\n";
        VCardContact c = read(card).get(0);
        assertThat(c.values()).containsEntry("last_name", "Ångström")
                .containsEntry("description", "a long note that was folded, twice: once here.");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void withoutFamilyNameTheFormattedNameIsTheLastName() {
        VCardContact c = read("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Café Central\r\nEMAIL;PREF=2:b@example.com\r\n"
                + "EMAIL;PREF=1:a@example.com\r\nEND:VCARD\r\n").get(0);
        assertThat(c.values()).containsEntry("last_name", "Café Central").containsEntry("email", "a@example.com")
                .doesNotContainKey("first_name");
        assertThat(c.warnings()).containsExactly("email b@example.com not imported (the contact has one email field)");
    }

    @Test
    void iteratedOnce() {
        VCardContacts cards = VCards.read(new StringReader(""));
        assertThat(cards.iterator().hasNext()).isFalse();
        assertThatThrownBy(cards::iterator).isInstanceOf(IllegalStateException.class);
    }

    private static List<VCardContact> read(String text) {
        return read(text, text.endsWith(".vcf"));
    }
}

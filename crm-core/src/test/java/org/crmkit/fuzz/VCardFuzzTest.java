package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.data.vcard.VCardContact;
import org.crmkit.data.vcard.VCardContacts;
import org.crmkit.data.vcard.VCards;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Address;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A vCard file a user uploads (an address book export), read by {@link VCards#read} (ez-vcard, then
 * {@code internal.vcard.CardToContact}) and imported as contacts in a dry run: every card becomes a contact numbered
 * from 1 whose values are text or an {@link Address} under the contact's field names (what is left out is a
 * warning), and the import of those values gives a result for every card or a {@link ValidationException}; nothing
 * else is thrown. Input: the file as UTF-8.
 */
class VCardFuzzTest {
    private static final Set<String> FIELDS = Set.of("first_name", "last_name", "email", "phone", "mobile", "title",
            "address", "description");

    private static Crm crm;
    private static CrmSession rep;

    @BeforeAll
    static void start() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void vcardFile(byte[] data) {
        List<VCardContact> cards = new ArrayList<>();
        try (VCardContacts read = VCards.read(new StringReader(FuzzInput.text(data)))) {
            read.forEach(cards::add);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            VCardContact card = cards.get(i);
            assertThat(card.number()).isEqualTo(i + 1);
            assertThat(FIELDS).containsAll(card.values().keySet());
            for (Map.Entry<String, Object> e : card.values().entrySet()) {
                assertThat(e.getValue()).as(e.getKey()).isInstanceOfAny(String.class, Address.class);
            }
            rows.add(card.values());
        }
        try {
            ImportResult result = rep.records("contact").importRecords("fuzz", rows, ImportOptions.defaults()
                    .dryRun(true));
            assertThat(result.createdIds().size() + result.errors().size()).isEqualTo(rows.size());
        } catch (ValidationException e) {
            FuzzInput.refused(e);
        }
    }
}

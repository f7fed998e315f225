package org.crmkit.internal.vcard;

import ezvcard.VCard;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Email;
import ezvcard.property.StructuredName;
import ezvcard.property.Telephone;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.record.Address;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * A contact as a vCard, by the mapping {@link org.crmkit.data.export.RecordExport#vcards} documents: only the fields
 * in {@code visible} are read, so a field hidden from the caller never reaches the card.
 */
final class ContactToCard {
    private ContactToCard() {}

    static VCard card(Record r, Set<String> visible, Function<UUID, @Nullable String> companyName) {
        VCard card = new VCard();
        card.setUid(new ezvcard.property.Uid("urn:uuid:" + r.id()));
        card.setRevision(r.updatedAt());
        String first = text(r, visible, "first_name");
        String last = text(r, visible, "last_name");
        StructuredName n = new StructuredName();
        n.setFamily(last);
        n.setGiven(first);
        card.setStructuredName(n);
        String formatted = first == null ? last : last == null ? first : first + " " + last;
        card.setFormattedName(formatted == null ? "" : formatted);
        String email = text(r, visible, "email");
        if (email != null) {
            card.addEmail(new Email(email));
        }
        phone(card, text(r, visible, "phone"), TelephoneType.WORK, TelephoneType.VOICE);
        phone(card, text(r, visible, "mobile"), TelephoneType.CELL);
        String title = text(r, visible, "title");
        if (title != null) {
            card.addTitle(title);
        }
        UUID company = visible.contains("company") ? r.getReference("company") : null;
        String org = company == null ? null : companyName.apply(company);
        if (org != null) {
            card.setOrganization(org);
        }
        Address address = visible.contains("address") ? r.getAddress("address") : null;
        if (address != null && !address.isEmpty()) {
            ezvcard.property.Address adr = new ezvcard.property.Address();
            adr.setStreetAddress(address.street());
            adr.setLocality(address.city());
            adr.setRegion(address.region());
            adr.setPostalCode(address.postalCode());
            adr.setCountry(address.country());
            adr.getTypes().add(AddressType.WORK);
            card.addAddress(adr);
        }
        String note = text(r, visible, "description");
        if (note != null) {
            card.addNote(note);
        }
        return card;
    }

    private static void phone(VCard card, @Nullable String number, TelephoneType... types) {
        if (number != null) {
            card.addTelephoneNumber(number, types);
        }
    }

    private static @Nullable String text(Record r, Set<String> visible, String field) {
        if (!visible.contains(field)) {
            return null;
        }
        Object v = r.get(field);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }
}

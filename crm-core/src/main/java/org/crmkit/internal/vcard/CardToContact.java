package org.crmkit.internal.vcard;

import ezvcard.VCard;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.EmailType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Email;
import ezvcard.property.FormattedName;
import ezvcard.property.Note;
import ezvcard.property.Organization;
import ezvcard.property.StructuredName;
import ezvcard.property.Telephone;
import ezvcard.property.Title;
import ezvcard.property.VCardProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.crmkit.data.vcard.VCardContact;
import org.crmkit.record.Address;
import org.jspecify.annotations.Nullable;

/** One card as a contact, by the mapping {@link org.crmkit.data.vcard.VCards} documents. */
final class CardToContact {
    /** Properties that carry no contact data: read or ignored without a warning. */
    private static final Set<String> QUIET = Set.of("VERSION", "PRODID", "UID", "REV", "X-ABLABEL", "X-ABUID");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> warnings;

    private CardToContact(List<String> parseWarnings) {
        this.warnings = new ArrayList<>(parseWarnings);
    }

    static VCardContact map(int number, VCard card, List<String> parseWarnings) {
        CardToContact m = new CardToContact(parseWarnings);
        m.name(card);
        m.emails(card.getEmails());
        m.phones(card.getTelephoneNumbers());
        m.address(card.getAddresses());
        Title title = card.getTitles().isEmpty() ? null : card.getTitles().get(0);
        m.put("title", title == null ? null : title.getValue());
        m.put("description", notes(card.getNotes()));
        if (!card.getPhotos().isEmpty()) {
            m.warnings.add("photo ignored (" + card.getPhotos().size() + ")");
        }
        m.others(card);
        return new VCardContact(number, m.values, company(card.getOrganization()), m.warnings);
    }

    private void put(String field, @Nullable Object value) {
        if (value instanceof String s && s.isBlank()) {
            return;
        }
        if (value != null) {
            values.put(field, value instanceof String s ? s.strip() : value);
        }
    }

    private void name(VCard card) {
        StructuredName n = card.getStructuredName();
        FormattedName fn = card.getFormattedName();
        String family = n == null ? null : n.getFamily();
        if (family != null && !family.isBlank()) {
            put("last_name", family);
            put("first_name", n.getGiven());
        } else if (fn != null) {
            put("last_name", fn.getValue());
            put("first_name", n == null ? null : n.getGiven());
        }
        if (n != null && (!n.getPrefixes().isEmpty() || !n.getSuffixes().isEmpty()
                || !n.getAdditionalNames().isEmpty())) {
            warnings.add("name prefixes, suffixes and additional names not imported");
        }
    }

    private void emails(List<Email> emails) {
        Email chosen = Preferred.choose(emails, Email::getPref,
                e -> e.getTypes().contains(EmailType.PREF), e -> e.getTypes().contains(EmailType.WORK));
        for (Email e : emails) {
            if (e == chosen) {
                put("email", e.getValue());
            } else {
                warnings.add("email " + e.getValue() + " not imported (the contact has one email field)");
            }
        }
    }

    private void phones(List<Telephone> phones) {
        List<Telephone> cells = phones.stream().filter(t -> t.getTypes().contains(TelephoneType.CELL)).toList();
        Telephone mobile = Preferred.choose(cells, Telephone::getPref,
                t -> t.getTypes().contains(TelephoneType.PREF), t -> t.getTypes().contains(TelephoneType.WORK));
        List<Telephone> rest = phones.stream().filter(t -> t != mobile).toList();
        Telephone phone = Preferred.choose(rest, Telephone::getPref,
                t -> t.getTypes().contains(TelephoneType.PREF), t -> t.getTypes().contains(TelephoneType.WORK));
        for (Telephone t : phones) {
            String text = t.getText() != null ? t.getText() : t.getUri() == null ? null : t.getUri().getNumber();
            if (t == mobile) {
                put("mobile", text);
            } else if (t == phone) {
                put("phone", text);
            } else {
                warnings.add("phone " + text + " not imported (the contact has one phone and one mobile field)");
            }
        }
    }

    private void address(List<ezvcard.property.Address> addresses) {
        ezvcard.property.Address chosen = Preferred.choose(addresses, ezvcard.property.Address::getPref,
                a -> a.getTypes().contains(AddressType.PREF), a -> a.getTypes().contains(AddressType.WORK));
        for (ezvcard.property.Address a : addresses) {
            if (a == chosen) {
                Address value = new Address(street(a), blankToNull(a.getLocality()), blankToNull(a.getRegion()),
                        blankToNull(a.getPostalCode()), blankToNull(a.getCountry()));
                if (!value.isEmpty()) {
                    values.put("address", value);
                }
            } else {
                warnings.add("address " + String.join(", ", new Address(street(a), a.getLocality(), a.getRegion(),
                        a.getPostalCode(), a.getCountry()).parts().values())
                        + " not imported (the contact has one address field)");
            }
        }
    }

    private static @Nullable String street(ezvcard.property.Address a) {
        List<String> lines = new ArrayList<>();
        for (String part : List.of(nonNull(a.getStreetAddress()), nonNull(a.getExtendedAddress()),
                nonNull(a.getPoBox()))) {
            if (!part.isBlank()) {
                lines.add(part.strip());
            }
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static @Nullable String notes(List<Note> notes) {
        List<String> texts = notes.stream().map(Note::getValue).filter(v -> v != null && !v.isBlank()).toList();
        return texts.isEmpty() ? null : String.join("\n\n", texts);
    }

    private static @Nullable String company(@Nullable Organization org) {
        if (org == null || org.getValues().isEmpty()) {
            return null;
        }
        return blankToNull(org.getValues().get(0));
    }

    private void others(VCard card) {
        Set<String> names = new LinkedHashSet<>();
        ezvcard.io.scribe.ScribeIndex scribes = new ezvcard.io.scribe.ScribeIndex();
        for (VCardProperty p : card.getProperties()) {
            if (!mapped(p)) {
                String name = p instanceof ezvcard.property.RawProperty raw ? raw.getPropertyName()
                        : scribes.getPropertyScribe(p).getPropertyName();
                if (!QUIET.contains(name.toUpperCase(Locale.ROOT))) {
                    names.add(name);
                }
            }
        }
        if (!names.isEmpty()) {
            warnings.add("properties not imported: " + String.join(", ", names));
        }
    }

    private static boolean mapped(VCardProperty p) {
        return p instanceof StructuredName || p instanceof FormattedName || p instanceof Email
                || p instanceof Telephone || p instanceof ezvcard.property.Address || p instanceof Organization
                || p instanceof Title || p instanceof Note || p instanceof ezvcard.property.Photo
                || p instanceof ezvcard.property.Uid || p instanceof ezvcard.property.Revision
                || p instanceof ezvcard.property.ProductId || p instanceof ezvcard.property.Label;
    }
}

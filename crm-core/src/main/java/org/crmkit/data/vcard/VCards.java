package org.crmkit.data.vcard;

import java.io.Reader;
import java.util.Objects;
import org.crmkit.internal.vcard.CardStream;

/**
 * Reads vCards (2.1, 3.0 or 4.0, with ez-vcard) as contacts, one card at a time, so memory stays constant however
 * long the file: {@code for (VCardContact c : VCards.read(reader)) ...}, or straight into an import:
 *
 * <pre>{@code
 * try (VCardContacts cards = VCards.read(reader)) {
 *     ImportResult r = session.records("contact").importRecords("phone-book-2026",
 *             cards.rows(c -> c.warnings().forEach(w -> log.warn("card {}: {}", c.number(), w))));
 * }
 * }</pre>
 *
 * <p><b>Mapping</b> onto the standard contact type. {@code N}: family name to {@code last_name}, given name to
 * {@code first_name} (without {@code N}, or without a family name, the formatted name {@code FN} becomes
 * {@code last_name}). {@code EMAIL}: the preferred one ({@code PREF}, else {@code TYPE=pref}, else
 * {@code TYPE=work}, else the first) to {@code email}; every other email is a warning. {@code TEL}: the preferred
 * {@code TYPE=cell} number to {@code mobile}, the preferred of the others (work before the rest) to {@code phone};
 * further numbers are warnings. {@code ADR}: the preferred (else work, else first) address to {@code address}, its
 * street (extended address and PO box appended on new lines), locality, region, postal code and country; other
 * addresses are warnings. {@code TITLE} to {@code title}, {@code NOTE} to {@code description}; {@code ORG} (its
 * first unit) is {@link VCardContact#companyName()}. A {@code PHOTO} is ignored with a warning, as is every other
 * property (one warning naming them), except the ones that carry no contact data ({@code VERSION}, {@code PRODID},
 * {@code UID}, {@code REV}, {@code FN}, Apple's {@code X-ABLabel}, {@code X-ABUID}). Phones are passed as written:
 * the contact's phone fields normalise them (E.164) or refuse them, like any other write.
 *
 * <p>Quoted-printable values, character sets, folded lines and CRLF or LF line ends are decoded by ez-vcard. A card
 * ez-vcard cannot read is skipped with its warnings.
 */
public final class VCards {
    private VCards() {}

    /** Reads the vCards of {@code in} one at a time; closing the result closes {@code in}. */
    public static VCardContacts read(Reader in) {
        Objects.requireNonNull(in, "in");
        return new VCardContacts(new CardStream(in));
    }
}

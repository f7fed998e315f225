package org.crmkit.internal.vcard;

import ezvcard.VCard;
import ezvcard.io.ParseWarning;
import ezvcard.io.text.VCardReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.data.vcard.VCardContact;
import org.jspecify.annotations.Nullable;

/** The cards of a reader, read one at a time with ez-vcard's {@link VCardReader} and mapped to contacts. */
public final class CardStream {
    private final VCardReader reader;
    private int number;

    public CardStream(Reader in) {
        this.reader = new VCardReader(in);
    }

    /** The next card as a contact, or null at the end. */
    public @Nullable VCardContact next() {
        try {
            VCard card = reader.readNext();
            if (card == null) {
                return null;
            }
            number++;
            List<String> parseWarnings = new ArrayList<>();
            for (ParseWarning w : reader.getWarnings()) {
                parseWarnings.add(w.toString());
            }
            return CardToContact.map(number, card, parseWarnings);
        } catch (IOException e) {
            throw new UncheckedIOException("reading vCard " + (number + 1), e);
        }
    }

    /** Closes the reader. */
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the vCard reader", e);
        }
    }
}

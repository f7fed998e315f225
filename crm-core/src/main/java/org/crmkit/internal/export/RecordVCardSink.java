package org.crmkit.internal.export;

import java.io.IOException;
import org.crmkit.internal.vcard.ContactCardWriter;
import org.crmkit.record.Record;

/** A record export as vCards: one card per contact, nothing before or after. */
public final class RecordVCardSink implements RecordSink {
    private final ContactCardWriter cards;

    public RecordVCardSink(ContactCardWriter cards) {
        this.cards = cards;
    }

    @Override
    public void header() {}

    @Override
    public void record(Record r) throws IOException {
        cards.write(r);
    }

    @Override
    public void flush() throws IOException {
        cards.flush();
    }

    @Override
    public void close() throws IOException {
        cards.flush();
    }
}

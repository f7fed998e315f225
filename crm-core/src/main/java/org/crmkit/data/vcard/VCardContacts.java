package org.crmkit.data.vcard;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import org.crmkit.internal.vcard.CardStream;
import org.jspecify.annotations.Nullable;

/**
 * The contacts of a vCard file ({@link VCards#read}), read one card at a time as they are iterated: it can be
 * iterated once. A failing reader is an {@link UncheckedIOException}. Closing it closes the reader.
 */
public final class VCardContacts implements Iterable<VCardContact>, AutoCloseable {
    private final CardStream cards;
    private boolean iterated;

    VCardContacts(CardStream cards) {
        this.cards = cards;
    }

    /** The contacts, read as the iterator advances; a second call is an {@link IllegalStateException}. */
    @Override
    public Iterator<VCardContact> iterator() {
        if (iterated) {
            throw new IllegalStateException("the vCards were already read: a VCardContacts can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            private @Nullable VCardContact next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = cards.next();
                }
                return next != null;
            }

            @Override
            public VCardContact next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                VCardContact c = Objects.requireNonNull(next);
                next = null;
                return c;
            }
        };
    }

    /**
     * The contacts' {@link VCardContact#values()}, for {@code importRecords} or {@code upsert} (row numbers are
     * card numbers); {@code seen} is given each contact, with its warnings and company name, as its row is read.
     */
    public Iterable<Map<String, Object>> rows(Consumer<? super VCardContact> seen) {
        Objects.requireNonNull(seen, "seen");
        return () -> {
            Iterator<VCardContact> it = iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Map<String, Object> next() {
                    VCardContact c = it.next();
                    seen.accept(c);
                    return c.values();
                }
            };
        };
    }

    /** Closes the reader. */
    @Override
    public void close() {
        cards.close();
    }
}

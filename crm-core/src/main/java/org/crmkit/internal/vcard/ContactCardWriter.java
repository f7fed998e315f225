package org.crmkit.internal.vcard;

import ezvcard.io.text.VCardWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.data.vcard.VCardVersion;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * Writes contacts as vCards onto the caller's writer (folded lines, CRLF, structured values with all their components),
 * which it flushes but never closes.
 */
public final class ContactCardWriter {
    private final Writer out;
    private final VCardWriter writer;
    private final Set<String> visible;
    private final Function<UUID, @Nullable String> companyName;

    /**
     * @param visible     the contact fields the caller may see; no other field is read
     * @param companyName the name of a company the caller may see, null for one they may not
     */
    public ContactCardWriter(Writer out, VCardVersion version, Set<String> visible,
            Function<UUID, @Nullable String> companyName) {
        this.out = out;
        this.writer = new VCardWriter(out, version == VCardVersion.V4_0 ? ezvcard.VCardVersion.V4_0
                : ezvcard.VCardVersion.V3_0);
        this.writer.setAddProdId(false);
        this.writer.setIncludeTrailingSemicolons(true); // N;ADR with every component, as Outlook and Apple write them
        this.visible = Set.copyOf(visible);
        this.companyName = companyName;
    }

    /** Writes one contact. */
    public void write(Record contact) throws IOException {
        writer.write(ContactToCard.card(contact, visible, companyName));
    }

    /** Flushes onto the caller's writer. */
    public void flush() throws IOException {
        writer.flush();
        out.flush();
    }
}

package org.crmkit.internal.chain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChainVerification;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.storage.spi.ChangeLogSeals;
import org.crmkit.storage.spi.ChangeSealing;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * The engine's side of the tamper-evident change log. Sealing is on when the {@code Crm} has a key provider with a
 * {@code CHANGE_LOG_MAC} keyset and its storage keeps seals ({@link ChangeLogSeals}); then every entry is staged with
 * its {@link #sealing}, an erasure {@link #markRedacted marks} the entries it rewrites and retention
 * {@link #markPruned marks} those it deletes, so that {@link #verify} tells their work from tampering.
 */
public final class ChangeChain {
    private final Storage storage;
    private final @Nullable ChainMac mac;
    private final @Nullable ChangeLogSeals seals;
    private final @Nullable String off;

    private ChangeChain(Storage storage, @Nullable ChainMac mac, @Nullable ChangeLogSeals seals,
            @Nullable String off) {
        this.storage = storage;
        this.mac = mac;
        this.seals = seals;
        this.off = off;
    }

    /** The chain of a storage (the engine's, beneath or above the encryption seam: seals pass it unchanged). */
    public static ChangeChain of(Storage storage, @Nullable KeyProvider keys) {
        if (keys == null) {
            return new ChangeChain(storage, null, null, "the Crm was built without keys (Crm.builder().keys(...))");
        }
        try {
            keys.keyset(KeyPurpose.CHANGE_LOG_MAC);
        } catch (ConfigurationException e) {
            return new ChangeChain(storage, null, null, "its key provider has no CHANGE_LOG_MAC keyset");
        }
        ChangeLogSeals seals = storage.extension(ChangeLogSeals.class).orElse(null);
        if (seals == null) {
            return new ChangeChain(storage, null, null, "its storage keeps no change-log seals");
        }
        return new ChangeChain(storage, new ChainMac(keys), seals, null);
    }

    /** The sealing of an entry about to be staged; null when sealing is off. */
    public @Nullable ChangeSealing sealing(ChangeLogEntry entry) {
        ChainMac m = mac;
        if (m == null) {
            return null;
        }
        String digest = m.digest(entry);
        return new ChangeSealing() {
            @Override
            public String digest() {
                return digest;
            }

            @Override
            public String link(String previousLink, long sequence) {
                return m.link(previousLink, sequence, digest);
            }
        };
    }

    /** Marks, with {@code transaction}, the seals of entries an erasure rewrote (each given as rewritten). */
    public void markRedacted(StorageTransaction transaction, Collection<ChangeLogEntry> rewritten) {
        ChainMac m = mac;
        ChangeLogSeals s = seals;
        if (m == null || s == null || rewritten.isEmpty()) {
            return;
        }
        Map<Long, String> marks = new LinkedHashMap<>();
        rewritten.forEach(e -> marks.put(e.sequence(), m.redacted(e)));
        s.mark(transaction, marks);
    }

    /**
     * Marks, with {@code transaction}, the seals of entries retention deleted (the mark binds the sequence alone, so
     * nothing needs reading: the retention's transaction holds its connection).
     */
    public void markPruned(StorageTransaction transaction, List<Long> sequences) {
        ChainMac m = mac;
        ChangeLogSeals s = seals;
        if (m == null || s == null || sequences.isEmpty()) {
            return;
        }
        Map<Long, String> marks = new LinkedHashMap<>();
        sequences.forEach(seq -> marks.put(seq, m.pruned(seq)));
        s.mark(transaction, marks);
    }

    /** Checks the whole log; refuses when sealing is off. */
    public ChainVerification verify() {
        ChainMac m = mac;
        ChangeLogSeals s = seals;
        if (m == null || s == null) {
            throw new ConfigurationException(List.of("changeLog: cannot verify the change log: " + off));
        }
        return new ChainVerifier(m, storage, s).run();
    }
}

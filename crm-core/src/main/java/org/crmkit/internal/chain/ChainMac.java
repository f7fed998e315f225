package org.crmkit.internal.chain;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;

/**
 * The MACs of the chain, with the provider's current {@code CHANGE_LOG_MAC} keyset: new MACs use its primary key,
 * any key of it verifies (a rotated MAC key keeps old seals valid while it stays in the keyset). What is MACed is
 * written as length-prefixed fields after a label naming its role, so no two roles or field splits share an input.
 */
final class ChainMac {
    private static final Base64.Encoder ENCODE = Base64.getEncoder();
    private static final Base64.Decoder DECODE = Base64.getDecoder();

    private final KeyProvider keys;
    private final StorageJson json = new StorageJson();
    private volatile @Nullable Cached cached;

    private record Cached(KeysetHandle handle, Mac mac) {}

    ChainMac(KeyProvider keys) {
        this.keys = keys;
    }

    /** The digest of an entry as it is now: who, what, when and its field changes; not its sequence. */
    String digest(ChangeLogEntry e) {
        return compute(entryData("crmkit-change/v1", 0, e));
    }

    /** The link of a seal: the previous link, the sequence and the digest. */
    String link(String previousLink, long sequence, String digest) {
        return compute(linkData(previousLink, sequence, digest));
    }

    /** The mark of an entry an erasure rewrote: the entry as rewritten, at its sequence. */
    String redacted(ChangeLogEntry rewritten) {
        return compute(entryData("crmkit-redacted/v1", rewritten.sequence(), rewritten));
    }

    /** The mark of an entry retention pruned. */
    String pruned(long sequence) {
        return compute(data("crmkit-pruned/v1", Long.toString(sequence)));
    }

    boolean digestHolds(String digest, ChangeLogEntry e) {
        return holds(digest, entryData("crmkit-change/v1", 0, e));
    }

    boolean linkHolds(String link, String previousLink, long sequence, String digest) {
        return holds(link, linkData(previousLink, sequence, digest));
    }

    boolean redactedHolds(String mark, ChangeLogEntry e) {
        return holds(mark, entryData("crmkit-redacted/v1", e.sequence(), e));
    }

    boolean prunedHolds(String mark, long sequence) {
        return holds(mark, data("crmkit-pruned/v1", Long.toString(sequence)));
    }

    private byte[] entryData(String label, long sequence, ChangeLogEntry e) {
        return data(label, Long.toString(sequence), e.principalId(), e.objectType(), e.recordId().toString(),
                e.operation().name(), Long.toString(e.version()), e.transactionId().toString(),
                e.at().getEpochSecond() + "." + e.at().getNano(), json.writeChanges(e.changes()));
    }

    private static byte[] linkData(String previousLink, long sequence, String digest) {
        return data("crmkit-link/v1", previousLink, Long.toString(sequence), digest);
    }

    private static byte[] data(String... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String f : fields) {
                byte[] b = f.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private String compute(byte[] data) {
        try {
            return ENCODE.encodeToString(mac().computeMac(data));
        } catch (GeneralSecurityException e) {
            throw failed(e);
        }
    }

    private boolean holds(String mac, byte[] data) {
        byte[] tag;
        try {
            tag = DECODE.decode(mac);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        try {
            mac().verifyMac(tag, data);
            return true;
        } catch (GeneralSecurityException invalid) {
            return false;
        }
    }

    private Mac mac() throws GeneralSecurityException {
        KeysetHandle h = keys.keyset(KeyPurpose.CHANGE_LOG_MAC);
        Cached c = cached;
        if (c == null || c.handle() != h) {
            c = new Cached(h, h.getPrimitive(RegistryConfiguration.get(), Mac.class));
            cached = c;
        }
        return c.mac();
    }

    private static ConfigurationException failed(GeneralSecurityException e) {
        return new ConfigurationException(java.util.List.of("keys: the CHANGE_LOG_MAC keyset cannot compute a MAC ("
                + e.getClass().getSimpleName() + ")"));
    }
}

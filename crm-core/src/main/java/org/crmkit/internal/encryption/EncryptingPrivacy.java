package org.crmkit.internal.encryption;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * The storage's {@link PrivacyStore} seen through the encryption seam: entries it finds are decrypted, rewritten
 * field changes are encrypted for the entry's record. Texts are searched in the stored form, so the values of
 * encrypted fields are not found by {@link #changesMentioning} (documented in {@code docs/security.md}).
 */
final class EncryptingPrivacy implements PrivacyStore {
    private final PrivacyStore privacy;
    private final Storage raw;
    private final RecordCipher cipher;

    EncryptingPrivacy(PrivacyStore privacy, Storage raw, RecordCipher cipher) {
        this.privacy = privacy;
        this.raw = raw;
        this.cipher = cipher;
    }

    @Override
    public void lock(StorageTransaction transaction) {
        privacy.lock(transaction);
    }

    @Override
    public List<ChangeLogEntry> changesMentioning(Collection<String> texts, long afterSequence, int limit) {
        return cipher.decryptEntries(privacy.changesMentioning(texts, afterSequence, limit));
    }

    @Override
    public void rewriteChanges(StorageTransaction transaction, Map<Long, List<FieldChange>> changes) {
        Map<Long, List<FieldChange>> out = new HashMap<>();
        changes.forEach((sequence, fieldChanges) -> {
            List<ChangeLogEntry> stored = raw.readChangeLog(sequence - 1, 1);
            if (!stored.isEmpty() && stored.get(0).sequence() == sequence) {
                ChangeLogEntry e = stored.get(0);
                out.put(sequence, cipher.changes(e.objectType(), e.recordId(), fieldChanges, true));
            }
        });
        privacy.rewriteChanges(transaction, out);
    }

    @Override
    public List<Long> pruneChanges(StorageTransaction transaction, String objectType, Instant before,
            long afterSequence,
            long throughSequence) {
        return privacy.pruneChanges(transaction, objectType, before, afterSequence, throughSequence);
    }

    @Override
    public List<JobText> jobsMentioning(Collection<String> texts) {
        return privacy.jobsMentioning(texts);
    }

    @Override
    public void rewriteJobs(StorageTransaction transaction, List<JobText> jobs) {
        privacy.rewriteJobs(transaction, jobs);
    }
}

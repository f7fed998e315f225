package org.crmkit.internal.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.privacy.Pruning;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.PrivacyStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change-log retention: the maximum age of entries per object type, kept as a document
 * ({@link PrivacyDocuments#RETENTION}), and pruning by it. A prune walks the log from its oldest entry in windows of
 * {@value #WINDOW} sequences, one transaction each under the privacy lock, deleting in each window the entries of
 * every type older than its cutoff, and stops at the first window that starts after the newest cutoff (the log is in
 * commit order, so later entries are younger) or before the newest entry of the log, which is always kept: the log's
 * last sequence never goes back, so consumers that follow it by sequence go on where they are.
 */
final class RetentionPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPolicy.class);
    static final long WINDOW = 10_000;

    private final CrmEngine engine;
    private final PrivacyStore privacy;
    private final DocumentStore documents;
    private final PrivacyDocuments json = new PrivacyDocuments();

    RetentionPolicy(CrmEngine engine, PrivacyStore privacy, DocumentStore documents) {
        this.engine = engine;
        this.privacy = privacy;
        this.documents = documents;
    }

    Map<String, Duration> retention() {
        return json.retention(documents.find(PrivacyDocuments.SETTINGS_KIND, PrivacyDocuments.RETENTION)
                .map(DocumentStore.StoredDocument::body).orElse(null));
    }

    void retain(String objectType, @Nullable Duration maxAge, Principal caller) {
        engine.transaction(tx -> {
            privacy.lock(tx.storage);
            Optional<DocumentStore.StoredDocument> doc = documents.find(PrivacyDocuments.SETTINGS_KIND,
                    PrivacyDocuments.RETENTION);
            Map<String, Duration> settings = new LinkedHashMap<>(json.retention(doc.map(
                    DocumentStore.StoredDocument::body).orElse(null)));
            if (maxAge == null) {
                settings.remove(objectType);
            } else {
                settings.put(objectType, maxAge);
            }
            documents.save(tx.storage, PrivacyDocuments.SETTINGS_KIND, PrivacyDocuments.RETENTION,
                    doc.map(DocumentStore.StoredDocument::version).orElse(0L), json.retentionJson(settings),
                    caller.id(), engine.clock.instant());
            return null;
        });
    }

    Pruning prune(Principal caller) {
        Instant now = engine.clock.instant();
        Map<String, Instant> cutoffs = new LinkedHashMap<>();
        retention().forEach((type, age) -> cutoffs.put(type, now.minus(age)));
        Map<String, Long> deleted = new LinkedHashMap<>();
        cutoffs.keySet().forEach(t -> deleted.put(t, 0L));
        if (cutoffs.isEmpty()) {
            return new Pruning(now, caller.id(), deleted);
        }
        Instant newestCutoff = cutoffs.values().stream().max(Instant::compareTo).orElse(now);
        long through = engine.storage.lastSequence() - 1; // the newest entry stays
        List<ChangeLogEntry> first = engine.storage.readChangeLog(0, 1);
        long cursor = first.isEmpty() ? through : first.get(0).sequence() - 1;
        while (cursor < through && !engine.isClosing()) {
            List<ChangeLogEntry> next = engine.storage.readChangeLog(cursor, 1);
            if (next.isEmpty() || !next.get(0).at().isBefore(newestCutoff)) {
                break;
            }
            long from = next.get(0).sequence() - 1;
            long to = Math.min(through, from + WINDOW);
            engine.transaction(tx -> {
                privacy.lock(tx.storage);
                cutoffs.forEach((type, before) -> {
                    List<Long> gone = privacy.pruneChanges(tx.storage, type, before, from, to);
                    engine.chain.markPruned(tx.storage, gone);
                    deleted.merge(type, (long) gone.size(), Long::sum);
                });
                return null;
            });
            cursor = to;
        }
        Pruning p = new Pruning(now, caller.id(), deleted);
        LOG.info("change-log retention run by {} deleted {} entries", caller.id(), p.total());
        return p;
    }
}

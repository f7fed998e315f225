package org.crmkit.search.lucene.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.crmkit.storage.spi.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link IndexStore}'s commits record besides documents: the change-log position they cover (and of which
 * storage, see {@link LogPosition}) and the mapping fingerprint of each indexed type; read at open (checksums
 * verified, a corrupt index wiped) and after a failure (the last commit, as it is), written at each commit.
 */
final class IndexCommits {
    private static final Logger LOG = LoggerFactory.getLogger(IndexCommits.class);
    private static final String SEQUENCE_KEY = "crmkit.sequence";
    /** The {@link Storage#identity()} of the storage the index was built from. */
    private static final String STORAGE_KEY = "crmkit.storage";
    /** The {@link LogPosition#fingerprint() fingerprint} of the change-log entry at the committed sequence. */
    private static final String FINGERPRINT_KEY = "crmkit.sequence.fingerprint";
    private static final String MAPPING_PREFIX = "crmkit.mapping.";

    private IndexCommits() {}

    /**
     * What a commit covers: every change up to {@code applied} (-1: nothing of this storage), the fingerprint of the
     * entry there, and the mapping fingerprints of the indexed types.
     */
    record Position(long applied, String fingerprint, Map<String, String> mappings) {
        static final Position NONE = new Position(-1, "", Map.of());

        /** The commit data that records this position of {@code storage}. */
        Map<String, String> data(Storage storage) {
            Map<String, String> data = new TreeMap<>();
            data.put(SEQUENCE_KEY, Long.toString(applied));
            data.put(FINGERPRINT_KEY, fingerprint);
            data.put(STORAGE_KEY, storage.identity().toString());
            mappings.forEach((k, v) -> data.put(MAPPING_PREFIX + k, v));
            return data;
        }
    }

    /**
     * The position of the last commit of an existing index whose files all pass their checksums, unless it is of
     * another storage or of its past; {@link Position#NONE} when there is no index, or when it is unreadable or
     * corrupt, in which case its files are deleted so that it is rebuilt.
     */
    static Position verified(Directory dir, Storage storage, String where) throws IOException {
        Map<String, String> data;
        try {
            if (!DirectoryReader.indexExists(dir)) {
                return Position.NONE;
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    leaf.reader().checkIntegrity();
                }
                data = new HashMap<>(reader.getIndexCommit().getUserData());
            }
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
                | FileSystemException | IllegalArgumentException | IllegalStateException e) {
            LOG.warn("search index at {} is unreadable ({}); rebuilding it from the storage", where, e.toString());
            wipe(dir);
            return Position.NONE;
        }
        Position p = position(data);
        Optional<String> foreign = p.applied() < 0 ? Optional.empty()
                : LogPosition.mismatch(storage, data.get(STORAGE_KEY), p.applied(), p.fingerprint());
        if (foreign.isPresent()) {
            LOG.warn("search index at {} does not belong to this database ({}); rebuilding it from the storage",
                    where, foreign.get());
            return Position.NONE;
        }
        return p;
    }

    /**
     * The position of the last commit as it is, without verifying it: after a failure, when the commit was verified
     * at open or written since. {@link Position#NONE} when there is no commit yet.
     */
    static Position last(Directory dir) throws IOException {
        return DirectoryReader.indexExists(dir) ? position(SegmentInfos.readLatestCommit(dir).getUserData())
                : Position.NONE;
    }

    private static Position position(Map<String, String> data) {
        String seq = data.get(SEQUENCE_KEY);
        Map<String, String> mappings = new TreeMap<>();
        data.forEach((k, v) -> {
            if (k.startsWith(MAPPING_PREFIX)) {
                mappings.put(k.substring(MAPPING_PREFIX.length()), v);
            }
        });
        return seq == null ? Position.NONE
                : new Position(Long.parseLong(seq), data.getOrDefault(FINGERPRINT_KEY, ""), mappings);
    }

    private static void wipe(Directory dir) throws IOException {
        for (String file : dir.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) {
                dir.deleteFile(file);
            }
        }
    }
}

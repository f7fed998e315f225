package org.crmkit.internal.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.BackupPart;
import org.crmkit.error.BackupException;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.StorageSnapshot;

/**
 * Writes a backup archive from one {@link StorageSnapshot}: a zip of JSON-lines parts, each read from the snapshot
 * one keyset page at a time (the next page read ahead meanwhile, {@link PagesAhead}) and streamed through a SHA-256
 * digest into the zip at deflate's fastest level, then the manifest listing them. The
 * archive is written to a temporary file beside {@code path} and moved into place once complete, so a failed backup
 * leaves no partial archive.
 */
public final class BackupWriter {
    /** Items per snapshot read: a few megabytes, and few enough round trips that they cost little beside the rows. */
    static final int PAGE = 5_000;
    /**
     * The deflate level of every part: the fastest. JSON lines of records and changes compress almost as well at it
     * as at zlib's default (6), which took a third of a backup's time; the format is the same at every level.
     */
    static final int LEVEL = Deflater.BEST_SPEED;
    /** Bytes gathered before a write to the file (the deflater hands over 512 at a time). */
    private static final int BUFFER = 256 * 1024;

    private final BackupCodec codec = new BackupCodec();
    private final Clock clock;
    private final Set<String> skippedDocumentKinds;

    /**
     * @param clock                the engine's clock (the manifest's {@code createdAt})
     * @param skippedDocumentKinds document kinds left out (the engine's secrets)
     */
    public BackupWriter(Clock clock, Set<String> skippedDocumentKinds) {
        this.clock = clock;
        this.skippedDocumentKinds = Set.copyOf(skippedDocumentKinds);
    }

    /** Writes the archive of {@code snapshot} (from storage {@code storage}) to {@code path}, a new file. */
    public BackupManifest write(StorageSnapshot snapshot, String storage, Path path) {
        if (Files.exists(path)) {
            throw new BackupException(BackupException.Problem.IO, "backup " + path + " exists already; choose a new "
                    + "file (a backup never overwrites one)");
        }
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".partial");
            BackupManifest manifest;
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    BUFFER))) {
                zip.setLevel(LEVEL);
                manifest = write(snapshot, storage, zip);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, path);
            }
            tmp = null;
            return manifest;
        } catch (IOException e) {
            throw new BackupException(BackupException.Problem.IO, "writing backup " + path + " failed: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure being reported matters more
                }
            }
        }
    }

    private BackupManifest write(StorageSnapshot snapshot, String storage, ZipOutputStream zip) throws IOException {
        long last = snapshot.lastSequence();
        Instant createdAt = clock.instant();
        SchemaSnapshot schema = snapshot.schema().orElse(null);
        List<BackupPart> parts = new ArrayList<>();
        parts.add(part(zip, createdAt, ArchiveLayout.SCHEMA, g -> {
            if (schema != null) {
                g.writeRaw(codec.json.writeSnapshot(schema));
                g.writeRaw('\n');
                return 1;
            }
            return 0;
        }));
        parts.add(part(zip, createdAt, ArchiveLayout.SCHEMA_HISTORY, g -> {
            long n = 0;
            for (SchemaChangeEntry e : snapshot.schemaHistory()) {
                codec.writeSchemaEntry(g, e);
                n += newline(g);
            }
            return n;
        }));
        try (PagesAhead ahead = new PagesAhead()) {
            for (ObjectType type : schema == null ? List.<ObjectType>of() : schema.types()) {
                parts.add(part(zip, createdAt, ArchiveLayout.recordsPart(type.name()), g -> {
                    long[] n = {0};
                    ahead.<Record>each(r -> snapshot.records(type.name(), r == null ? null : r.id(), PAGE), PAGE,
                            r -> {
                                codec.writeRecord(g, r);
                                n[0] += newline(g);
                            });
                    return n[0];
                }));
            }
            parts.add(part(zip, createdAt, ArchiveLayout.CHANGE_LOG, g -> upTo(last, ahead,
                    snapshot::changeLogAsStored, c -> c.entry().sequence(), c -> codec.writeEntry(g, c), g)));
            parts.add(part(zip, createdAt, ArchiveLayout.SEALS, g -> upTo(last, ahead, snapshot::changeSeals,
                    ChangeSeal::sequence, s -> codec.writeSeal(g, s), g)));
            parts.add(part(zip, createdAt, ArchiveLayout.DOCUMENTS, g -> {
                long n = 0;
                for (StoredDocument d : snapshot.documents()) {
                    if (!skippedDocumentKinds.contains(d.kind())) {
                        codec.writeDocument(g, d);
                        n += newline(g);
                    }
                }
                return n;
            }));
            parts.add(part(zip, createdAt, ArchiveLayout.MERGE_LINKS, g -> {
                long n = 0;
                UUID after = null;
                while (true) {
                    List<MergeLink> page = snapshot.mergeLinks(after, PAGE);
                    for (MergeLink l : page) {
                        codec.writeMergeLink(g, l);
                        n += newline(g);
                    }
                    if (page.size() < PAGE) {
                        return n;
                    }
                    after = page.get(page.size() - 1).recordId();
                }
            }));
            parts.add(part(zip, createdAt, ArchiveLayout.IMPORTS, g -> {
                long[] n = {0};
                ahead.<ImportedRow>each(r -> snapshot.importedRows(r, PAGE), PAGE, r -> {
                    codec.writeImported(g, r);
                    n[0] += newline(g);
                });
                return n[0];
            }));
        }
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, crmkitVersion(), createdAt, storage,
                last, schema == null ? 0 : schema.version(), parts);
        ZipEntry entry = new ZipEntry(ArchiveLayout.MANIFEST);
        entry.setTime(createdAt.toEpochMilli());
        zip.putNextEntry(entry);
        zip.write(codec.writeManifest(manifest));
        zip.closeEntry();
        return manifest;
    }

    /** What reads a page of sequence-ordered items after a sequence. */
    private interface BySequence<T> {
        List<T> after(long sequence, int limit);
    }

    /** What writes one item. */
    private interface ItemWriter<T> {
        void write(T item) throws IOException;
    }

    /**
     * Writes the items of a sequence-ordered source up to the view's last sequence (the source may already hold
     * later ones), a line each, reading the next page while this one is written; returns how many.
     */
    private static <T> long upTo(long last, PagesAhead ahead, BySequence<T> source,
            java.util.function.ToLongFunction<T> sequence, ItemWriter<T> writer, JsonGenerator g) throws IOException {
        long[] n = {0};
        ahead.<T>each(x -> x == null ? source.after(0, PAGE) : sequence.applyAsLong(x) >= last ? List.of()
                : source.after(sequence.applyAsLong(x), PAGE), PAGE, x -> {
                    if (sequence.applyAsLong(x) <= last) {
                        writer.write(x);
                        n[0] += newline(g);
                    }
                });
        return n[0];
    }

    private static long newline(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
        return 1;
    }

    /** The version in the jar's manifest, or "development" when run from classes. */
    static String crmkitVersion() {
        String v = BackupWriter.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Writes the lines of one part and returns how many. */
    private interface PartBody {
        long write(JsonGenerator g) throws IOException;
    }

    private BackupPart part(ZipOutputStream zip, Instant createdAt, String name, PartBody body) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(createdAt.toEpochMilli());
        zip.putNextEntry(entry);
        DigestingStream out = new DigestingStream(zip);
        long count;
        try (JsonGenerator g = codec.mapper.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new MinimalPrettyPrinter(""));
            count = body.write(g);
        }
        zip.closeEntry();
        return new BackupPart(name, count, out.size, HexFormat.of().formatHex(out.digest.digest()));
    }

    /** Counts and digests what passes through, without closing the zip underneath. */
    private static final class DigestingStream extends FilterOutputStream {
        final MessageDigest digest = sha256();
        long size;

        DigestingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            size += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

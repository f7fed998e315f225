package org.crmkit.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.BackupPart;
import org.crmkit.error.BackupException;
import org.crmkit.error.BackupException.Problem;
import org.jspecify.annotations.Nullable;

/**
 * Reads a backup archive defensively. {@link #open} checks the container before any data: a readable zip (not
 * truncated), only entry names of {@link ArchiveLayout} and each once (no path traversal, no unknown or duplicate
 * entries), a manifest of at most {@value #MAX_MANIFEST} bytes in a format version this CRMKit reads, exactly the
 * parts it lists, each declaring the size the manifest gives and compressed at most {@value #MAX_RATIO} to 1.
 * {@link #lines} then streams a part one line at a time, never decompressing more than the manifest's size (a zip
 * bomb stops there) nor holding a line over {@value #MAX_LINE} bytes, and checks its size, line count and SHA-256
 * at the end ({@link #checkLines} the same without decoding); {@link Restorer#verify} reads every part so, decoding
 * every line but the records' (decoded as they are written), before a restore writes anything.
 */
public final class ArchiveReader implements AutoCloseable {
    static final int MAX_MANIFEST = 1 << 20;
    static final int MAX_LINE = 64 << 20;
    static final long MAX_RATIO = 200;
    /** Entries smaller than this are not held to {@link #MAX_RATIO}: a small file of repeated text compresses well. */
    private static final long RATIO_FROM = 1 << 20;

    private final Path path;
    private final ZipFile zip;
    private final BackupManifest manifest;
    private final Map<String, ZipEntry> entries;
    final BackupCodec codec = new BackupCodec();
    /** Threads that decode lines ({@link DecodedLines}): one per core beside the reading thread's, at most four. */
    private static final int DECODERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private final ExecutorService decoders = Executors.newFixedThreadPool(DECODERS,
            Thread.ofPlatform().daemon().name("crmkit-restore-decoder-", 1).factory());

    private ArchiveReader(Path path, ZipFile zip, BackupManifest manifest, Map<String, ZipEntry> entries) {
        this.path = path;
        this.zip = zip;
        this.manifest = manifest;
        this.entries = entries;
    }

    /** Opens and checks the container and manifest of the archive at {@code path}. */
    public static ArchiveReader open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BackupException(Problem.IO, "backup " + path + " is not a readable file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (IOException e) {
            throw new BackupException(Problem.NOT_AN_ARCHIVE, "backup " + path + " is not a readable zip archive "
                    + "(truncated or damaged?): " + e.getMessage(), e);
        }
        try {
            Map<String, ZipEntry> entries = entries(path, zip);
            ZipEntry m = entries.get(ArchiveLayout.MANIFEST);
            if (m == null) {
                throw unsafe(path, "has no " + ArchiveLayout.MANIFEST);
            }
            BackupManifest manifest = manifest(path, zip, m);
            checkParts(path, manifest, entries);
            return new ArchiveReader(path, zip, manifest, entries);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static Map<String, ZipEntry> entries(Path path, ZipFile zip) {
        Map<String, ZipEntry> out = new HashMap<>();
        try {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                String name = e.getName();
                if (!ArchiveLayout.allowed(name)) {
                    throw unsafe(path, "holds the entry '" + printable(name) + "', which is not a part of the format "
                            + "(only " + ArchiveLayout.MANIFEST
                            + ", schema/, records/<type>.jsonl and the fixed parts)");
                }
                if (out.put(name, e) != null) {
                    throw unsafe(path, "holds the entry '" + name + "' twice");
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BackupException(Problem.NOT_AN_ARCHIVE, "backup " + path + " has an unreadable entry list: "
                    + e.getMessage(), e);
        }
        return out;
    }

    private static BackupManifest manifest(Path path, ZipFile zip, ZipEntry m) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(m)) {
            bytes = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": the manifest cannot be read: "
                    + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new BackupException(Problem.TOO_LARGE, "backup " + path + ": the manifest is larger than "
                    + MAX_MANIFEST + " bytes");
        }
        BackupCodec codec = new BackupCodec();
        JsonNode n;
        int version;
        try {
            n = codec.mapper.readTree(bytes);
            version = codec.formatVersion(n);
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": the manifest is not a CRMKit backup "
                    + "manifest: " + e.getMessage(), e);
        }
        if (version > BackupManifest.FORMAT_VERSION) {
            throw new BackupException(Problem.UNSUPPORTED_VERSION, "backup " + path + " is in format version "
                    + version + ", written by a newer CRMKit; this one reads up to version "
                    + BackupManifest.FORMAT_VERSION);
        }
        try {
            return codec.readManifest(n);
        } catch (IllegalArgumentException e) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": manifest: " + e.getMessage(), e);
        }
    }

    private static void checkParts(Path path, BackupManifest manifest, Map<String, ZipEntry> entries) {
        Set<String> listed = new HashSet<>();
        for (BackupPart p : manifest.parts()) {
            if (!ArchiveLayout.allowed(p.name()) || p.name().equals(ArchiveLayout.MANIFEST) || !listed.add(p.name())) {
                throw unsafe(path, "lists the part '" + printable(p.name()) + "' in its manifest, which is not a "
                        + "part of the format or is listed twice");
            }
            ZipEntry e = entries.get(p.name());
            if (e == null) {
                throw unsafe(path, "misses the part " + p.name() + " its manifest lists");
            }
            if (e.getSize() != p.size()) {
                throw new BackupException(Problem.TOO_LARGE, "backup " + path + ": part " + p.name() + " declares "
                        + e.getSize() + " bytes uncompressed, the manifest " + p.size());
            }
            long compressed = Math.max(1, e.getCompressedSize());
            if (p.size() >= RATIO_FROM && p.size() / compressed > MAX_RATIO) {
                throw new BackupException(Problem.TOO_LARGE, "backup " + path + ": part " + p.name()
                        + " would expand " + p.size() / compressed + " times (at most " + MAX_RATIO + ")");
            }
        }
        for (String name : entries.keySet()) {
            if (!name.equals(ArchiveLayout.MANIFEST) && !listed.contains(name)) {
                throw unsafe(path, "holds the entry " + name + ", which its manifest does not list");
            }
        }
        for (String fixed : ArchiveLayout.FIXED) {
            if (!listed.contains(fixed)) {
                throw unsafe(path, "misses the part " + fixed);
            }
        }
    }

    public BackupManifest manifest() {
        return manifest;
    }

    /** The archive's path, for messages. */
    Path path() {
        return path;
    }

    /** The object types that have a records part. */
    List<String> recordTypes() {
        List<String> out = new ArrayList<>();
        for (BackupPart p : manifest.parts()) {
            ArchiveLayout.typeOf(p.name()).ifPresent(out::add);
        }
        return out;
    }

    /** What decodes one line of a part (its bytes, without the line end). */
    interface LineDecoder<T> {
        T decode(byte[] line) throws IOException;
    }

    /** What receives the decoded lines of a part. */
    interface LineSink<T> {
        void accept(T item, long line);
    }

    /**
     * Checks {@code part} as {@link #lines} does (size, line count, SHA-256, no line over {@value #MAX_LINE} bytes, no
     * line without its end) without splitting or decoding its lines: a restore decodes them later, as it writes them.
     */
    void checkLines(String part) {
        BackupPart p = manifest.part(part).orElseThrow(() -> unsafe(path, "misses the part " + part));
        check(part, p, read(part, p, null));
    }

    /**
     * Streams the lines of {@code part}, decoded, to {@code sink}, in order; checks the part's size, line count and
     * SHA-256 against the manifest as it ends (and a throw of the sink stops it). The lines are decoded on helper
     * threads ({@link DecodedLines}) while this one reads on.
     */
    <T> void lines(String part, LineDecoder<T> decode, LineSink<? super T> sink) {
        BackupPart p = manifest.part(part).orElseThrow(() -> unsafe(path, "misses the part " + part));
        DecodedLines<T> decoded = new DecodedLines<>(decoders, 2 * DECODERS, decode, sink,
                (line, problem) -> corrupt(part, line, problem));
        boolean done = false;
        try {
            Read r = read(part, p, decoded);
            decoded.drain();
            done = true;
            check(part, p, r);
        } finally {
            if (!done) {
                decoded.cancel();
            }
        }
    }

    /**
     * Inflates, digests and splits the part, handing each line to {@code decoded}; returns the lines and bytes
     * read. Before an error of its own it drains {@code decoded}, so that an earlier line's error comes first.
     */
    private Read read(String part, BackupPart p, @Nullable DecodedLines<?> decoded) {
        MessageDigest digest = BackupWriter.sha256();
        long line = 0;
        long size = 0;
        try (InputStream in = zip.getInputStream(entries.get(part))) {
            byte[] buffer = new byte[64 * 1024];
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            long open = 0; // bytes of the line not yet ended
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > p.size()) {
                    drain(decoded);
                    throw new BackupException(Problem.TOO_LARGE, "backup " + path + ": part " + part
                            + " decompresses to more than the " + p.size() + " bytes its manifest gives (a zip bomb?)");
                }
                digest.update(buffer, 0, n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                        if (decoded == null) {
                            open = 0; // only counting
                        } else if (current.size() == 0) {
                            decoded.add(java.util.Arrays.copyOfRange(buffer, start, i));
                        } else {
                            current.write(buffer, start, i - start);
                            decoded.add(current.toByteArray());
                            current.reset();
                        }
                        start = i + 1;
                    }
                }
                if (decoded == null) {
                    open += n - start;
                } else {
                    current.write(buffer, start, n - start);
                    open = current.size();
                }
                if (open > MAX_LINE) {
                    drain(decoded);
                    throw corrupt(part, line + 1, "a line longer than " + MAX_LINE + " bytes");
                }
            }
            if (open > 0) {
                drain(decoded);
                throw corrupt(part, line + 1, "the last line has no end (truncated)");
            }
        } catch (ZipException e) {
            drain(decoded);
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " is damaged: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            drain(decoded);
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " cannot be read: "
                    + e.getMessage(), e);
        }
        return new Read(line, size, HexFormat.of().formatHex(digest.digest()));
    }

    /** Before an error of the reading's own: the lines before it first, which may hold an earlier error. */
    private static void drain(@Nullable DecodedLines<?> decoded) {
        if (decoded != null) {
            decoded.drain();
        }
    }

    /** What reading a part found: its lines, its bytes and their SHA-256. */
    private record Read(long lines, long size, String sha256) {}

    private void check(String part, BackupPart p, Read r) {
        if (r.size() != p.size()) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " holds " + r.size()
                    + " bytes, its manifest says " + p.size());
        }
        if (!r.sha256().equals(p.sha256())) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " does not match its "
                    + "SHA-256 in the manifest (damaged or altered)");
        }
        if (r.lines() != p.count()) {
            throw new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " holds " + r.lines()
                    + " lines, its manifest says " + p.count());
        }
    }

    BackupException corrupt(String part, long line, String problem) {
        return new BackupException(Problem.CORRUPT, "backup " + path + ": part " + part + " line " + line + ": "
                + problem);
    }

    private static BackupException unsafe(Path path, String what) {
        return new BackupException(Problem.UNSAFE_ENTRY, "backup " + path + " " + what);
    }

    /** A name as shown in a message: control characters escaped, at most 200 characters. */
    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // the refusal matters more
        }
    }

    @Override
    public void close() {
        decoders.shutdownNow(); // pure decoding: nothing to finish
        closeQuietly(zip);
    }
}

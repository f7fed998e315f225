package org.crmkit.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test helpers that take backup archives apart and put them together again, altered, for the backup contracts. */
final class BackupArchives {
    static final ObjectMapper JSON = new ObjectMapper();

    private BackupArchives() {}

    /** Every entry of the archive, in order. */
    static Map<String, byte[]> read(Path zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> all = z.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes {@code entries} as a new zip at {@code zip}. */
    static Path write(Path zip, Map<String, byte[]> entries) {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }

    /** The entries with a manifest whose parts describe them as they now are (size, line count, SHA-256). */
    static Map<String, byte[]> resealed(Map<String, byte[]> entries) {
        ObjectNode manifest = (ObjectNode) tree(part(entries, "manifest.json"));
        ArrayNode parts = manifest.putArray("parts");
        entries.forEach((name, bytes) -> {
            if (!name.equals("manifest.json")) {
                long lines = 0;
                for (byte b : bytes) {
                    lines += b == '\n' ? 1 : 0;
                }
                parts.addObject().put("name", name).put("count", lines).put("size", bytes.length).put("sha256",
                        sha256(bytes));
            }
        });
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.put("manifest.json", bytes(manifest));
        return out;
    }

    /** The bytes of the entry {@code name}, which must be there. */
    static byte[] part(Map<String, byte[]> entries, String name) {
        return java.util.Objects.requireNonNull(entries.get(name), name);
    }

    static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON lines of a part. */
    static List<JsonNode> lines(byte[] part) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(part, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(tree(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

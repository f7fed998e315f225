package org.crmkit.internal.backup;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The entries a backup archive may hold, and nothing else: a restore refuses any other name (path traversal,
 * directories, unknown parts) before it reads a byte of data.
 */
final class ArchiveLayout {
    static final String MANIFEST = "manifest.json";
    static final String SCHEMA = "schema/current.json";
    static final String SCHEMA_HISTORY = "schema/history.jsonl";
    static final String CHANGE_LOG = "changelog.jsonl";
    static final String DOCUMENTS = "documents.jsonl";
    static final String MERGE_LINKS = "merge-links.jsonl";
    static final String IMPORTS = "imports.jsonl";
    /** The change log's seals: since format 2, and only there (a format 1 archive has none). */
    static final String SEALS = "changelog-seals.jsonl";
    private static final String RECORDS = "records/";
    private static final String LINES = ".jsonl";
    /** The parts every archive has, besides the manifest and one part per object type. */
    static final Set<String> FIXED = Set.of(SCHEMA, SCHEMA_HISTORY, CHANGE_LOG, DOCUMENTS, MERGE_LINKS, IMPORTS);
    /** Object type names as the schema allows them ({@code NameRules}). */
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private ArchiveLayout() {}

    static String recordsPart(String objectType) {
        return RECORDS + objectType + LINES;
    }

    /** The object type of a records part, or empty when {@code name} is not one. */
    static Optional<String> typeOf(String name) {
        if (!name.startsWith(RECORDS) || !name.endsWith(LINES)) {
            return Optional.empty();
        }
        String type = name.substring(RECORDS.length(), name.length() - LINES.length());
        return TYPE.matcher(type).matches() ? Optional.of(type) : Optional.empty();
    }

    /** Whether an archive may hold an entry of this name. */
    static boolean allowed(String name) {
        return name.equals(MANIFEST) || FIXED.contains(name) || name.equals(SEALS) || typeOf(name).isPresent();
    }
}

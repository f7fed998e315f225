package org.crmkit.search.lucene.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.support.SearchFields;

/**
 * What decides each searched type's documents, as a fingerprint the index keeps in its commit data: when a type's
 * fingerprint differs from the one its documents were written with, they are written anew.
 */
final class IndexMappings {
    /** Bump when the analysis or the layout changes: every type is indexed anew. */
    static final String LAYOUT_VERSION = "7";

    private IndexMappings() {}

    /**
     * The fingerprint of each searched type's mapping, kept in the commit data: the SHA-256 of its
     * {@linkplain #canonicalMappings canonical text}, so that two mappings are told apart unless that text is the
     * same. A fingerprint in any other form (an older index's) differs from every one of these: the type is
     * indexed anew.
     */
    static Map<String, String> fingerprints(SchemaSnapshot schema) {
        Map<String, String> out = new TreeMap<>();
        canonicalMappings(schema).forEach((type, text) -> out.put(type, sha256(text)));
        return out;
    }

    static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e); // required by the JCA spec
        }
    }

    /** What decides each searched type's documents, as text; a change means its documents must be rebuilt. */
    static Map<String, String> canonicalMappings(SchemaSnapshot schema) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectType t : schema.types()) {
            if (!SearchFields.isSearched(schema, t)) {
                continue;
            }
            StringBuilder sb = new StringBuilder(LAYOUT_VERSION);
            for (Field f : SearchFields.searchable(t)) {
                sb.append("|s:").append(f.name()).append(':').append(f.type()).append(':')
                        .append(SearchFields.role(t, f));
            }
            for (Field f : SearchFields.exactOnly(t)) {
                sb.append("|x:").append(f.name()).append(':').append(f.type());
            }
            for (Field f : SearchFields.searchableReferences(schema, t)) {
                ObjectType target = schema
                        .findObjectType(Objects.requireNonNull(f.target(), "a reference field has a target"))
                        .orElseThrow();
                sb.append("|r:").append(f.name()).append(':').append(f.target()).append(':')
                        .append(SearchFields.nameFields(target).stream().map(Field::name).toList());
            }
            for (Field f : t.fields()) {
                if (f.indexed() && !f.encrypted()) {
                    sb.append("|i:").append(f.name()).append(':').append(f.type()).append(':').append(f.scale());
                }
            }
            sb.append("|n:").append(SearchFields.nameFields(t).stream().map(Field::name).toList());
            out.put(t.name(), sb.toString());
        }
        return out;
    }
}

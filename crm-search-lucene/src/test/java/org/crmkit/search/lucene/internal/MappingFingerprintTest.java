package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.crmkit.Crm;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index knows its mapping by the SHA-256 of the canonical mapping text, not by a 32-bit hash. */
class MappingFingerprintTest {
    @TempDir
    Path dir;

    private static SchemaSnapshot gizmo(String fieldName) {
        return new SchemaSnapshot(1, Map.of("gizmo", ObjectType.custom("gizmo", "Gizmo",
                Field.text("name").required(true).searchable(true), Field.text(fieldName).searchable(true))),
                Map.of());
    }

    /** What the index recorded before: the text's String.hashCode() and its length. */
    private static String oldFingerprint(String canonical) {
        return Integer.toHexString(canonical.hashCode()) + "-" + canonical.length();
    }

    @Test
    void mappingsWhoseOldFingerprintsCollideAreToldApart() {
        // "c0" and "an" have the same String.hashCode (31*'c'+'0' == 31*'a'+'n') and length
        String a = IndexMappings.canonicalMappings(gizmo("fc0")).get("gizmo");
        String b = IndexMappings.canonicalMappings(gizmo("fan")).get("gizmo");
        assertThat(a).isNotEqualTo(b);
        assertThat(oldFingerprint(a)).as("the old fingerprint collides").isEqualTo(oldFingerprint(b));

        String fa = IndexMappings.fingerprints(gizmo("fc0")).get("gizmo");
        String fb = IndexMappings.fingerprints(gizmo("fan")).get("gizmo");
        assertThat(fa).isNotEqualTo(fb).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(IndexMappings.fingerprints(gizmo("fc0")).get("gizmo")).as("stable").isEqualTo(fa);
    }

    @Test
    void anIndexWhoseCommitHoldsAnotherFingerprintIsIndexedAnew() throws IOException {
        Path index = dir.resolve("index");
        JdbcStorage storage = TestDatabase.H2.newStorage();
        String canonical;
        try (Crm crm = Crm.builder().storage(storage).search(LuceneSearch.at(index)).build()) {
            for (int i = 0; i < 3; i++) {
                crm.as(Principal.SYSTEM).records("contact").create(Map.of("first_name", "N" + i, "last_name",
                        "Oldprint"));
            }
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
            canonical = IndexMappings.canonicalMappings(crm.schema().snapshot()).get("contact");
        }
        // an index as an older version left it: the contact mapping under the old 32-bit fingerprint, and (to see
        // whether it is indexed anew) without its contact documents
        try (Directory d = FSDirectory.open(index);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new KeywordAnalyzer())
                        .setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
            Map<String, String> data = new HashMap<>();
            try (DirectoryReader r = DirectoryReader.open(d)) {
                data.putAll(r.getIndexCommit().getUserData());
            }
            assertThat(data).containsKey("crmkit.mapping.contact");
            data.put("crmkit.mapping.contact", oldFingerprint(canonical));
            w.deleteDocuments(new Term(IndexFields.TYPE, "contact"));
            w.setLiveCommitData(data.entrySet());
            w.commit();
        }
        try (Crm crm = Crm.builder().storage(TestDatabase.H2.reopen(storage)).search(LuceneSearch.at(index))
                .build()) {
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
            assertThat(crm.as(Principal.SYSTEM).search(SearchQuery.of("oldprint")).total()).isEqualTo(3);
        }
    }
}

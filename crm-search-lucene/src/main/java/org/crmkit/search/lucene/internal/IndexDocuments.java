package org.crmkit.search.lucene.internal;

import java.util.Map;
import java.util.UUID;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;

/**
 * The documents and analyzer the engine writes, for measuring the engine against a bare Lucene
 * {@code IndexWriter} on the same documents (the {@code search} benchmark). Not an API.
 */
public final class IndexDocuments {
    private final Analysis analysis = new Analysis();
    private final DocumentMapper mapper = new DocumentMapper(DocumentMapper.Tokens.NONE);

    /** The per-field analyzer the engine's index writer uses. */
    public Analyzer analyzer() {
        return analysis.indexAnalyzer();
    }

    /** The document the engine writes for a live record ({@code referenced}: the records its references point at). */
    public Document document(SchemaSnapshot schema, ObjectType type, Record record, Map<UUID, Record> referenced) {
        return mapper.document(schema, type, record, referenced);
    }
}

package org.crmkit.internal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.error.StorageException;
import org.crmkit.privacy.Erasure;
import org.crmkit.storage.spi.DocumentStore;
import org.jspecify.annotations.Nullable;

/**
 * What the privacy operations keep in the storage's documents: one document of kind {@value #ERASURE_KIND} per
 * erasure (named by its id; its counts, who and when, nothing about whom) and the retention settings (kind
 * {@value #SETTINGS_KIND}, name {@value #RETENTION}: ISO-8601 durations by object type). Each save keeps its history
 * with who saved it and when, as every document does.
 */
final class PrivacyDocuments {
    static final String ERASURE_KIND = "crmkit_erasure";
    static final String SETTINGS_KIND = "crmkit_privacy";
    static final String RETENTION = "retention";

    private final ObjectMapper mapper = new ObjectMapper();

    String erasureJson(Erasure e) {
        ObjectNode n = mapper.createObjectNode().put("format", 1).put("id", e.id().toString())
                .put("at", e.at().toString()).put("principal", e.principalId());
        ObjectNode records = n.putObject("recordsErased");
        new TreeMap<>(e.recordsErased()).forEach(records::put);
        n.put("valuesCleared", e.valuesCleared()).put("referencesCleared", e.referencesCleared())
                .put("changesRedacted", e.changesRedacted()).put("jobsRedacted", e.jobsRedacted())
                .put("summariesDropped", e.summariesDropped()).put("searchIndexExpunged", e.searchIndexExpunged());
        return n.toString();
    }

    Erasure erasure(String json) {
        JsonNode n = tree(json, "an erasure record");
        Map<String, Integer> records = new TreeMap<>();
        n.path("recordsErased").properties().forEach(p -> records.put(p.getKey(), p.getValue().asInt()));
        return new Erasure(UUID.fromString(n.path("id").asText()), Instant.parse(n.path("at").asText()),
                n.path("principal").asText(), records, n.path("valuesCleared").asInt(),
                n.path("referencesCleared").asInt(), n.path("changesRedacted").asInt(),
                n.path("jobsRedacted").asInt(), n.path("summariesDropped").asInt(),
                n.path("searchIndexExpunged").asBoolean());
    }

    /** Every erasure recorded in {@code docs}, oldest first. */
    List<Erasure> erasures(DocumentStore docs) {
        return docs.list(ERASURE_KIND).stream().map(d -> erasure(Objects.requireNonNull(d.body(), "body")))
                .sorted(Comparator.comparing(Erasure::at).thenComparing(Erasure::id)).toList();
    }

    String retentionJson(Map<String, Duration> retention) {
        ObjectNode n = mapper.createObjectNode().put("format", 1);
        ObjectNode types = n.putObject("types");
        new TreeMap<>(retention).forEach((type, age) -> types.put(type, age.toString()));
        return n.toString();
    }

    Map<String, Duration> retention(@Nullable String json) {
        Map<String, Duration> out = new TreeMap<>();
        if (json != null) {
            tree(json, "the retention settings").path("types").properties()
                    .forEach(p -> out.put(p.getKey(), Duration.parse(p.getValue().asText())));
        }
        return out;
    }

    private JsonNode tree(String json, String what) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot read " + what + " from storage JSON: " + e.getOriginalMessage(), e);
        }
    }
}

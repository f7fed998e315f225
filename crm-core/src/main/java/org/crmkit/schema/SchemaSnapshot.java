package org.crmkit.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole schema at one version: object types and pipelines. Immutable; what storages persist and load.
 */
public record SchemaSnapshot(long version, Map<String, ObjectType> objectTypes, Map<String, Pipeline> pipelines) {
    public SchemaSnapshot {
        Objects.requireNonNull(objectTypes, "objectTypes");
        Objects.requireNonNull(pipelines, "pipelines");
        objectTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objectTypes));
        pipelines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    }

    public Optional<ObjectType> findObjectType(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(objectTypes.get(name));
    }

    public Optional<Pipeline> findPipeline(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(pipelines.get(name));
    }

    public List<ObjectType> types() {
        return List.copyOf(objectTypes.values());
    }

    /** A copy with one object type put (added or replaced) and the version raised by one. */
    public SchemaSnapshot with(ObjectType type) {
        Objects.requireNonNull(type, "type");
        Map<String, ObjectType> types = new LinkedHashMap<>(objectTypes);
        types.put(type.name(), type);
        return new SchemaSnapshot(version + 1, types, pipelines);
    }

    public SchemaSnapshot without(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        Map<String, ObjectType> types = new LinkedHashMap<>(objectTypes);
        types.remove(typeName);
        return new SchemaSnapshot(version + 1, types, pipelines);
    }

    public SchemaSnapshot with(Pipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        Map<String, Pipeline> all = new LinkedHashMap<>(pipelines);
        all.put(pipeline.name(), pipeline);
        return new SchemaSnapshot(version + 1, objectTypes, all);
    }
}

package org.crmkit.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole schema at one version: object types, pipelines, the lead conversion mapping and the currencies. Immutable; what storages
 * persist and load.
 */
public record SchemaSnapshot(long version, Map<String, ObjectType> objectTypes, Map<String, Pipeline> pipelines,
        LeadMapping leadMapping, Currencies currencies) {
    public SchemaSnapshot {
        Objects.requireNonNull(currencies, "currencies");
        Objects.requireNonNull(objectTypes, "objectTypes");
        Objects.requireNonNull(pipelines, "pipelines");
        Objects.requireNonNull(leadMapping, "leadMapping");
        objectTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objectTypes));
        pipelines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    }

    /** A snapshot without currencies ({@link Currencies#none()}). */
    public SchemaSnapshot(long version, Map<String, ObjectType> objectTypes, Map<String, Pipeline> pipelines,
            LeadMapping leadMapping) {
        this(version, objectTypes, pipelines, leadMapping, Currencies.none());
    }

    /** A snapshot with the standard lead mapping ({@link LeadMapping#defaults()}). */
    public SchemaSnapshot(long version, Map<String, ObjectType> objectTypes, Map<String, Pipeline> pipelines) {
        this(version, objectTypes, pipelines, LeadMapping.defaults());
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
        return new SchemaSnapshot(version + 1, types, pipelines, leadMapping, currencies);
    }

    public SchemaSnapshot without(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        Map<String, ObjectType> types = new LinkedHashMap<>(objectTypes);
        types.remove(typeName);
        return new SchemaSnapshot(version + 1, types, pipelines, leadMapping, currencies);
    }

    public SchemaSnapshot with(Pipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        Map<String, Pipeline> all = new LinkedHashMap<>(pipelines);
        all.put(pipeline.name(), pipeline);
        return new SchemaSnapshot(version + 1, objectTypes, all, leadMapping, currencies);
    }

    /** A copy with another lead mapping and the version raised by one. */
    public SchemaSnapshot with(LeadMapping mapping) {
        Objects.requireNonNull(mapping, "mapping");
        return new SchemaSnapshot(version + 1, objectTypes, pipelines, mapping, currencies);
    }

    /** A copy with other currencies and the version raised by one. */
    public SchemaSnapshot with(Currencies newCurrencies) {
        Objects.requireNonNull(newCurrencies, "newCurrencies");
        return new SchemaSnapshot(version + 1, objectTypes, pipelines, leadMapping, newCurrencies);
    }

    /**
     * The schema after {@code change}, at the next version: what a storage replays to rebuild the schema from an
     * earlier snapshot and the changes made since. An added field comes last, a changed field keeps its position.
     *
     * @throws IllegalArgumentException when the change names an object type or field this schema does not have
     */
    public SchemaSnapshot apply(SchemaChange change) {
        return switch (change) {
            case SchemaChange.AddObjectType a -> with(a.type());
            case SchemaChange.DeleteObjectType d -> without(type(d.type().name()).name());
            case SchemaChange.AddField a -> {
                ObjectType t = type(a.objectType());
                List<Field> fields = new java.util.ArrayList<>(t.fields());
                fields.add(a.field());
                yield with(t.withFields(fields));
            }
            case SchemaChange.ChangeField c -> {
                ObjectType t = type(c.objectType());
                field(t, c.before().name());
                yield with(t.withFields(t.fields().stream()
                        .map(f -> f.name().equals(c.before().name()) ? c.after() : f).toList()));
            }
            case SchemaChange.DeleteField d -> {
                ObjectType t = type(d.objectType());
                field(t, d.field().name());
                yield with(t.withFields(t.fields().stream().filter(f -> !f.name().equals(d.field().name())).toList()));
            }
            case SchemaChange.ChangeRules r -> with(type(r.objectType()).withRules(r.rules()));
            case SchemaChange.SetDuplicateRules d -> with(type(d.objectType()).withDuplicateRules(d.rules()));
            case SchemaChange.SavePipeline p -> with(p.pipeline());
            case SchemaChange.SetLeadMapping m -> with(m.mapping());
            case SchemaChange.SetCurrencies c -> with(c.currencies());
        };
    }

    private ObjectType type(String name) {
        return findObjectType(name).orElseThrow(() -> new IllegalArgumentException("schema version " + version
                + " has no object type " + name));
    }

    private static Field field(ObjectType type, String name) {
        return type.findField(name).orElseThrow(() -> new IllegalArgumentException("object type " + type.name()
                + " has no field " + name));
    }
}

package org.crmkit.storage.support;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.annotation.JsonCreator;
import java.math.BigDecimal;
import java.util.List;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.event.FieldChange;
import org.crmkit.query.Filter;
import org.crmkit.schema.Field;
import org.crmkit.schema.Rollup;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The Jackson mix-ins that give the schema and event records their stored JSON form without annotating the public
 * API (which must not show Jackson): schema changes are tagged by {@code "kind"}, field values go through
 * {@link StoredValues}, field changes use the short names {@code f o n} and leave empty values out. Records with no
 * mix-in are written by their components, in order.
 */
final class StorageJsonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    StorageJsonModule() {
        super("crmkit-storage-json");
        setMixInAnnotation(SchemaChange.class, SchemaChangeMixIn.class);
        setMixInAnnotation(Field.class, FieldMixIn.class);
        addSerializer(Stage.class, new StoredStages.Serializer());
        addDeserializer(Stage.class, new StoredStages.Deserializer());
        setMixInAnnotation(ObjectType.class, ObjectTypeMixIn.class);
        setMixInAnnotation(FieldChange.class, FieldChangeMixIn.class);
        setMixInAnnotation(Filter.class, FilterMixIn.class);
        setMixInAnnotation(org.crmkit.schema.ExchangeRate.class, ExchangeRateMixIn.class);
        setMixInAnnotation(Filter.Compare.class, CompareMixIn.class);
        setMixInAnnotation(Filter.In.class, InMixIn.class);
        setMixInAnnotation(Filter.Between.class, BetweenMixIn.class);
        setMixInAnnotation(Filter.SetMatch.class, SetMatchMixIn.class);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = SchemaChange.AddObjectType.class, name = "add_object_type"),
            @JsonSubTypes.Type(value = SchemaChange.DeleteObjectType.class, name = "delete_object_type"),
            @JsonSubTypes.Type(value = SchemaChange.AddField.class, name = "add_field"),
            @JsonSubTypes.Type(value = SchemaChange.ChangeField.class, name = "change_field"),
            @JsonSubTypes.Type(value = SchemaChange.DeleteField.class, name = "delete_field"),
            @JsonSubTypes.Type(value = SchemaChange.ChangeRules.class, name = "change_rules"),
            @JsonSubTypes.Type(value = SchemaChange.SavePipeline.class, name = "save_pipeline"),
            @JsonSubTypes.Type(value = SchemaChange.SetDuplicateRules.class, name = "set_duplicate_rules"),
            @JsonSubTypes.Type(value = SchemaChange.SetLeadMapping.class, name = "set_lead_mapping"),
            @JsonSubTypes.Type(value = SchemaChange.SetCurrencies.class, name = "set_currencies")})
    private interface SchemaChangeMixIn {}

    /** Default values tagged; bounds as exact decimal text; the formula visibility flag only when set. */
    private abstract static class FieldMixIn {
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object defaultValue;

        @JsonFormat(shape = JsonFormat.Shape.STRING)
        @Nullable
        BigDecimal min;

        @JsonFormat(shape = JsonFormat.Shape.STRING)
        @Nullable
        BigDecimal max;

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        boolean visibleRegardlessOfInputs;

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable
        Rollup rollup;

        @JsonIgnore
        abstract boolean isRollup();
    }

    /** An exchange rate: its date tagged as field values are, its rate as exact decimal text. */
    private abstract static class ExchangeRateMixIn {
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object effectiveFrom;

        @JsonFormat(shape = JsonFormat.Shape.STRING)
        @Nullable
        BigDecimal rate;
    }

    /** A roll-up's filter: each variant named by a {@code "kind"} property, compared values tagged. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Filter.Compare.class, name = "compare"),
            @JsonSubTypes.Type(value = Filter.In.class, name = "in"),
            @JsonSubTypes.Type(value = Filter.Between.class, name = "between"),
            @JsonSubTypes.Type(value = Filter.IsNull.class, name = "is_null"),
            @JsonSubTypes.Type(value = Filter.TextMatch.class, name = "text"),
            @JsonSubTypes.Type(value = Filter.SetMatch.class, name = "set"),
            @JsonSubTypes.Type(value = Filter.And.class, name = "and"),
            @JsonSubTypes.Type(value = Filter.Or.class, name = "or"),
            @JsonSubTypes.Type(value = Filter.Not.class, name = "not")})
    private interface FilterMixIn {}

    private abstract static class CompareMixIn {
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object value;
    }

    private abstract static class InMixIn {
        @JsonSerialize(contentUsing = StoredValues.Serializer.class)
        @JsonDeserialize(contentUsing = StoredValues.Deserializer.class)
        @Nullable
        List<@Nullable Object> values;
    }

    private abstract static class BetweenMixIn {
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object low;

        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object high;
    }

    private abstract static class SetMatchMixIn {
        @JsonSerialize(contentUsing = StoredValues.Serializer.class)
        @JsonDeserialize(contentUsing = StoredValues.Deserializer.class)
        @Nullable
        List<@Nullable Object> values;
    }

    /**
     * Duplicate rules only when set (text written before they existed has none, and reads as none); the canonical
     * constructor, not the one without them, reads a type.
     */
    private abstract static class ObjectTypeMixIn {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable
        DuplicateRules duplicateRules;

        @JsonCreator
        ObjectTypeMixIn(@JsonProperty("name") String name, @JsonProperty("label") String label,
                @JsonProperty("custom") boolean custom, @JsonProperty("fields") List<Field> fields,
                @JsonProperty("rules") List<ValidationRule> rules,
                @JsonProperty("duplicateRules") @Nullable DuplicateRules duplicateRules) {}
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class FieldChangeMixIn {
        @JsonProperty("f")
        String field = "";

        @JsonProperty("o")
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object oldValue;

        @JsonProperty("n")
        @JsonSerialize(using = StoredValues.Serializer.class)
        @JsonDeserialize(using = StoredValues.Deserializer.class)
        @Nullable
        Object newValue;
    }
}

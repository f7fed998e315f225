package org.crmkit.schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.crmkit.security.FieldAccess;
import org.jspecify.annotations.Nullable;

/**
 * One field as a principal sees it, within a {@link TypeView}. A field hidden from the principal has no view at
 * all. Immutable.
 *
 * @param name       API name
 * @param type       the declared type ({@link FieldType#FORMULA} for formulas)
 * @param valueType  the type of its values ({@link Field#valueType()}: a formula's result type)
 * @param label      what people see
 * @param access     {@link FieldAccess#EDITABLE} when the principal may write it (its roles allow creating or updating
 *                   records of the type and writing the field, and it is not a formula, roll-up or deprecated
 *                   field), else {@link FieldAccess#READ_ONLY}; never HIDDEN
 * @param required   a value must be present on every write
 * @param unique     no two live records share a non-null value
 * @param maxLength  the length limit of text values ({@link Field#effectiveMaxLength()}), 0 for other types
 * @param scale      fractional digits kept by decimal, currency and percent values
 * @param min        smallest allowed number, or null
 * @param max        largest allowed number, or null
 * @param options    picklist options (inactive ones too, marked so), in display order
 * @param target     the object type a reference or relation points to, or null
 * @param computed   a formula or roll-up: the engine computes its values
 * @param defaultValue the value a create without one gets (so a required field with one may be left out), or null
 */
public record FieldView(String name, FieldType type, FieldType valueType, String label, FieldAccess access,
        boolean required, boolean unique, int maxLength, int scale, @Nullable BigDecimal min,
        @Nullable BigDecimal max, List<PicklistOption> options, @Nullable String target, boolean computed,
        @Nullable Object defaultValue) {
    public FieldView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(options, "options");
        if (access == FieldAccess.HIDDEN) {
            throw new IllegalArgumentException("a hidden field has no view: " + name);
        }
        options = List.copyOf(options);
    }

    /** Whether the principal may write values of this field ({@link #access()} is EDITABLE). */
    public boolean writable() {
        return access == FieldAccess.EDITABLE;
    }
}

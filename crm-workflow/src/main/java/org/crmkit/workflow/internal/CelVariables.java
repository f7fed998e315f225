package org.crmkit.workflow.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.crmkit.internal.cel.CelValues;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The variables of one rule evaluation, as a read-only map: every field of the object type (converted to its CEL
 * value when first read; most conditions read two or three) and the rule context variables. Each variable also has a
 * slot, its index in a layout that depends only on the object type: the field's position in {@code type.fields()},
 * then the context variables in {@link #CONTEXT} order. {@link FastCel} resolves names to slots when it compiles, so a
 * condition reads an array element instead of hashing a name; it checks the variables were made for the very type
 * it was compiled against and looks names up otherwise.
 */
final class CelVariables extends AbstractMap<String, Object> {
    /** The context variables, in slot order after the fields; a field of the same name hides one. */
    static final List<String> CONTEXT = List.of("id", "owner", "team", "prior", "changed", "is_new", "event", "now");

    private static final Object UNREAD = new Object();

    final @Nullable ObjectType type;
    private final List<Field> fields;
    private final @Nullable Record after;
    private final Object[] values;

    CelVariables(@Nullable ObjectType type, @Nullable Record after, Object[] context) {
        this.type = type;
        this.fields = type == null ? List.of() : type.fields();
        this.after = after;
        this.values = new Object[fields.size() + CONTEXT.size()];
        for (int i = 0; i < fields.size(); i++) {
            values[i] = fields.get(i).type() == FieldType.FORMULA ? null : UNREAD;
        }
        System.arraycopy(context, 0, values, fields.size(), CONTEXT.size());
    }

    /** The slot of a variable in the layout of {@code type}, or -1 when there is no such variable. */
    static int slot(@Nullable ObjectType type, String name) {
        List<Field> fields = type == null ? List.of() : type.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name) && fields.get(i).type() != FieldType.FORMULA) {
                return i; // a formula field is no variable (and hides nothing)
            }
        }
        int c = CONTEXT.indexOf(name);
        return c < 0 ? -1 : fields.size() + c;
    }

    /** The value in a slot of this layout (null for a formula field, which is no variable). */
    @Nullable
    Object slot(int i) {
        Object v = values[i];
        if (v == UNREAD) {
            Field f = fields.get(i);
            v = CelValues.toCel(f.valueType(), after == null ? null : after.values().get(f.name()));
            values[i] = v;
        }
        return v;
    }

    @Override
    public @Nullable Object get(Object key) {
        int i = key instanceof String name ? slotOf(name) : -1;
        return i >= 0 ? slot(i) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    private int slotOf(String name) {
        return slot(type, name);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < values.length && (values[i] == null || nameOf(i) == null)) {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next;
                        next = advance(i + 1);
                        return Map.entry(nameOf(i), slot(i));
                    }
                };
            }

            @Override
            public int size() {
                int n = 0;
                for (Iterator<?> it = iterator(); it.hasNext(); it.next()) {
                    n++;
                }
                return n;
            }
        };
    }

    /** The variable name of a slot, or null when a field hides that context variable. */
    private @Nullable String nameOf(int i) {
        if (i < fields.size()) {
            return fields.get(i).name();
        }
        String name = CONTEXT.get(i - fields.size());
        return slotOf(name) == i ? name : null;
    }

    /** The context slot values, in {@link #CONTEXT} order. */
    static Object[] context(Object id, Object owner, Object team, Object prior,
            Object changed, boolean isNew, String event, Object now) {
        return new Object[] {id, owner, team, prior, changed, isNew, event, now};
    }
}

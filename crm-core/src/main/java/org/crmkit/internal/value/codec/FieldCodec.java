package org.crmkit.internal.value.codec;

import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/**
 * Reads and checks the values of one field type: what callers pass becomes the canonical value that records hold
 * and storages store (see {@link org.crmkit.schema.FieldType}), or errors in {@link Problems}.
 */
public interface FieldCodec {
    /**
     * The canonical value of {@code raw} written to {@code field}, with every check of the field (length, range,
     * scale, active options); null when {@code raw} is blank (an empty field) or after adding an error to
     * {@code problems}.
     */
    @Nullable
    Object write(Field field, Object raw, Problems problems);

    /**
     * The canonical value of {@code raw} compared in a filter against {@code path}, whose field is {@code field}
     * (null when the path is not a field of its own): the same reading as {@link #write}, without length, range,
     * scale or option-activity checks.
     */
    @Nullable
    Object filter(String path, @Nullable Field field, Object raw, Problems problems);

    /**
     * Does ahead, on any thread, the costly part of a later {@link #write} of {@code raw} to {@code field}, so that
     * the write is quick and gives the same result (an import prepares a batch's values on a second core). The
     * default does nothing; a codec that remembers keeps a bounded memory.
     */
    default void prepare(Field field, Object raw) {}

    /** Whether {@link #prepare} does anything: whether preparing values of this type is worth a thread. */
    default boolean prepares() {
        return false;
    }

    /** Forgets what {@link #prepare} remembered (an import's batch is written: its values are not kept about). */
    default void forgetPrepared() {}
}

/**
 * One {@link org.crmkit.internal.value.codec.FieldCodec} per field type, found through the
 * {@link org.crmkit.internal.value.codec.FieldCodecs} registry (the shape of JDBI's column mappers and argument
 * factories): each reads caller input into the canonical value of its type and checks it.
 */
@NullMarked
package org.crmkit.internal.value.codec;

import org.jspecify.annotations.NullMarked;

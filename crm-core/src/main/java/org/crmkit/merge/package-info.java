/**
 * Merging duplicate records into one: {@link org.crmkit.RecordSet#merge} with the {@link FieldChoices} that say which
 * values the surviving record keeps, answered by a {@link MergeResult}.
 */
@NullMarked
package org.crmkit.merge;

import org.jspecify.annotations.NullMarked;

/**
 * Duplicate detection: matching rules per object type (stored with the schema), scored candidates, what a create or
 * update does when it would make a duplicate ({@link org.crmkit.duplicate.DuplicateMode}), and scans of existing
 * data for clusters of duplicates.
 */
@NullMarked
package org.crmkit.duplicate;

import org.jspecify.annotations.NullMarked;

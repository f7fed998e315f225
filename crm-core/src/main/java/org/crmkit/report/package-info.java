/**
 * Reports as data: a {@link org.crmkit.report.ReportDefinition} (type, filter, up to two groupings with date buckets
 * and a fiscal year, metrics, top N) is checked when saved, versioned, and run within the caller's access as one
 * grouped query on the storage ({@link org.crmkit.report.Reports}).
 */
@NullMarked
package org.crmkit.report;

import org.jspecify.annotations.NullMarked;

/**
 * The writers behind {@link org.crmkit.report.export.ReportExport}: RFC 4180 CSV with the spreadsheet-formula guard,
 * and JSON through Jackson's streaming generator.
 */
@NullMarked
package org.crmkit.internal.export;

import org.jspecify.annotations.NullMarked;

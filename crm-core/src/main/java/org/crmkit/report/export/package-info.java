/**
 * Exports of a {@link org.crmkit.report.ReportTable}: CSV safe to open in a spreadsheet, and JSON that keeps the
 * values' types ({@link org.crmkit.report.export.ReportExport}).
 */
@NullMarked
package org.crmkit.report.export;

import org.jspecify.annotations.NullMarked;

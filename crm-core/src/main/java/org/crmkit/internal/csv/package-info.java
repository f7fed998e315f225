/**
 * Internal: the CSV import ({@code org.crmkit.data.csv}): reading the file with FastCSV ({@link
 * org.crmkit.internal.csv.CsvLines}), mapping its header to fields ({@link org.crmkit.internal.csv.ColumnPlan}),
 * reading cells in a locale ({@link org.crmkit.internal.csv.CellReader}), and the run that streams rows to the
 * engine's import and writes the rejected rows ({@link org.crmkit.internal.csv.CsvImportRun}). No FastCSV type leaves
 * this package. Not API.
 */
@NullMarked
package org.crmkit.internal.csv;

import org.jspecify.annotations.NullMarked;

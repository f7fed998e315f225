/**
 * Exports of records: any query's records as CSV safe to open in a spreadsheet, or as JSON Lines that keep the
 * values' types ({@link org.crmkit.data.export.RecordExport}, from {@link org.crmkit.CrmSession#export()}).
 */
@NullMarked
package org.crmkit.data.export;

import org.jspecify.annotations.NullMarked;

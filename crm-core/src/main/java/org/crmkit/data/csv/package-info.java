/**
 * CSV import: a file's rows become records of one object type, on behalf of one principal
 * ({@link org.crmkit.data.csv.CsvImport}, from {@link org.crmkit.CrmSession#csvImport(String)}), with the columns
 * mapped to fields by name or label, cells read in the file's locale, a dry run, progress, and the rejected rows
 * written back as CSV.
 */
@NullMarked
package org.crmkit.data.csv;

import org.jspecify.annotations.NullMarked;

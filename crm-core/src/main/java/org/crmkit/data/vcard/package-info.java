/**
 * vCards of contacts: {@link org.crmkit.data.vcard.VCards} reads vCard 2.1, 3.0 and 4.0 files (as Apple Contacts,
 * Google Contacts and Outlook write them) one card at a time into rows for {@code records("contact")};
 * {@link org.crmkit.data.export.RecordExport#vcards} writes contacts as vCard 3.0 or 4.0.
 */
@NullMarked
package org.crmkit.data.vcard;

import org.jspecify.annotations.NullMarked;

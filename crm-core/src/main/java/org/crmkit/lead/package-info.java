/**
 * Lead conversion: turning a qualified lead into a contact, a company and optionally a deal, in one transaction
 * ({@link org.crmkit.lead.Leads}, reached through {@link org.crmkit.CrmSession#leads()}).
 */
@NullMarked
package org.crmkit.lead;

import org.jspecify.annotations.NullMarked;

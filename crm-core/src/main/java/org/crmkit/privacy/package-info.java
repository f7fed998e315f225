/**
 * Data-protection operations on the people a CRM holds (GDPR Art. 15 access, Art. 17 erasure, Art. 30 records of
 * processing): {@link org.crmkit.privacy.Privacy}, from {@link org.crmkit.CrmSession#privacy()}, finds and exports
 * everything held about a {@link org.crmkit.privacy.Subject}, erases it, and prunes the change log by a retention
 * period per object type. See {@code docs/privacy.md}.
 */
@NullMarked
package org.crmkit.privacy;

import org.jspecify.annotations.NullMarked;

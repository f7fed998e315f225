/**
 * Where CRMKit's keys come from: a {@link org.crmkit.keys.KeyProvider} hands out one Tink keyset per
 * {@link org.crmkit.keys.KeyPurpose} (field encryption, deterministic field encryption, the change log's HMAC
 * chain); {@link org.crmkit.keys.KeyProviders} builds the usual ones. Keys never appear in logs, exceptions or the
 * change log. See {@code docs/security.md}.
 */
@NullMarked
package org.crmkit.keys;

import org.jspecify.annotations.NullMarked;

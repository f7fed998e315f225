/** The unchecked errors of CRMKit, rooted at {@link org.crmkit.error.CrmException}. */
@NullMarked
package org.crmkit.error;

import org.jspecify.annotations.NullMarked;

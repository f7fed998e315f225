/**
 * A user's project built against the installed CRMKit artifacts (run by .ci/consumer).
 */
@NullMarked
package com.example.crm;

import org.jspecify.annotations.NullMarked;

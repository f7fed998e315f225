/**
 * The tamper-evident change log: the seals the engine computes for each entry (a keyed digest and a hash chain, Tink
 * MACs with the {@code CHANGE_LOG_MAC} key), the marks of entries it changes on purpose (erasure, retention) and the
 * verification that names the first entry changed, inserted or deleted behind the engine's back.
 */
@NullMarked
package org.crmkit.internal.chain;

import org.jspecify.annotations.NullMarked;

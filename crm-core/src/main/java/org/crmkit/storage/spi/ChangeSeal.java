package org.crmkit.storage.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What keeps one change-log entry tamper-evident, as a storage stores it beside the entry ({@link ChangeLogSeals}).
 * All three values are Tink MACs (HMAC-SHA256 with the {@code CHANGE_LOG_MAC} key) computed by the engine, Base64
 * text; a storage keeps them as given and never computes one.
 *
 * @param sequence the entry's sequence
 * @param digest   the MAC of the entry as written (who, what, when and every old and new value)
 * @param link     the MAC of the previous seal's link, this sequence and the digest: the chain
 * @param mark     set when the engine changed the entry on purpose after it was written: an erasure rewrote its
 *                 values (the MAC of the entry as rewritten) or retention pruned it; null otherwise
 */
public record ChangeSeal(long sequence, String digest, String link, @Nullable String mark) {
    public ChangeSeal {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(link, "link");
    }
}

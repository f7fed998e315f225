package org.crmkit.storage.spi;

import java.util.Objects;

/**
 * The key of one import's rows in the import ledger: who imported, into which object type, under which import id.
 * Import ids belong to the principal and type that used them: the same id used by another principal or for another
 * type is another import, whose ledger is neither read nor written.
 *
 * @param principalId the id of the principal that ran the import
 * @param objectType  the object type the rows were imported into
 * @param importId    the id the caller gave the import (a file name, say)
 */
public record ImportKey(String principalId, String objectType, String importId) {
    public ImportKey {
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(importId, "importId");
    }
}

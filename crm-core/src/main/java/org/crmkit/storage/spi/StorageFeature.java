package org.crmkit.storage.spi;

import org.crmkit.error.UnsupportedFeatureException;

/**
 * An optional feature of a storage. A storage lists those it offers in {@link StorageCapabilities#features()}; for a
 * feature it declines it leaves the SPI methods the feature names to their defaults, which throw
 * {@link #refused()}, so a caller meets a typed error naming the feature, and the conformance suite skips the
 * contracts that need it and checks the refusal instead.
 */
public enum StorageFeature {
    /** Grouped counts and sums: {@link StorageTransaction#aggregate} (reports, pipeline totals, calendars). */
    AGGREGATES("aggregate reports"),
    /**
     * The import ledger: {@link StorageTransaction#importedRows} and {@link StorageTransaction#recordImported}, which
     * make re-running an import skip the rows it already created ({@code RecordSet.importRecords}).
     */
    IMPORT_LEDGER("resumable imports"),
    /**
     * Merge links: {@link StorageTransaction#linkMerged} and {@link StorageTransaction#mergedInto}, which remember which
     * record a merged-away record went into ({@code RecordSet.merge}).
     */
    MERGE_LINKS("record merges"),
    /**
     * Row locks: {@link StorageTransaction#lockForUpdate}, which roll-up fields need to stay exact under concurrent
     * writes of their children.
     */
    ROW_LOCKS("roll-up fields");

    private final String needs;

    StorageFeature(String needs) {
        this.needs = needs;
    }

    /** The error a storage declining this feature throws from the methods it names. */
    public UnsupportedFeatureException refused() {
        return new UnsupportedFeatureException(name(), "the storage declines the optional feature " + name() + " ("
                + needs + "); use a storage whose capabilities list it, such as the JDBC or in-memory storage");
    }
}

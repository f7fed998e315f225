package org.crmkit.storage.spi;

/**
 * Told by a storage when a committing transaction takes its change-log sequences
 * ({@link StorageTransaction#reportSequencing}), so that the engine can hand a finished commit to its listeners
 * without waiting for commits that are sure to hold higher sequences. A storage calls {@link #taking()} before it
 * asks for the sequences and {@link #took(long)} once it has them, on the committing thread, at most once each.
 */
public interface CommitSequencing {
    /** The transaction is about to take its sequences: from now on it may hold lower ones than a later commit. */
    void taking();

    /** The transaction took its sequences; {@code firstSequence} is the lowest. */
    void took(long firstSequence);
}

package org.crmkit.error;

/**
 * A backup could not be written, or an archive was refused by a restore; {@link #problem()} says why and the
 * message names the part, line or record concerned. A refused restore leaves the target as empty as it was.
 */
public class BackupException extends CrmException {
    private static final long serialVersionUID = 1L;

    /** Why a backup or restore failed. */
    public enum Problem {
        /** The file is not a readable zip archive (truncated, not a zip, unreadable). */
        NOT_AN_ARCHIVE,
        /** An entry name is not one the format allows (path traversal, unknown, duplicate, missing). */
        UNSAFE_ENTRY,
        /** A part's bytes do not match the manifest (checksum, size, line count) or do not parse. */
        CORRUPT,
        /** A part decompresses to more than the manifest says, or compresses implausibly well (a zip bomb). */
        TOO_LARGE,
        /** The archive was written in a newer format than this CRMKit reads. */
        UNSUPPORTED_VERSION,
        /** The target storage holds data; a restore writes only into an empty one. */
        TARGET_NOT_EMPTY,
        /** The target storage cannot hold the archive's schema or data (a limit or a feature it lacks). */
        TARGET_CANNOT_HOLD,
        /** The restore point is outside what the archive can reach. */
        POINT_UNREACHABLE,
        /** Reading or writing a file failed. */
        IO,
        /** Writing into the target failed part-way; the target was emptied again. */
        RESTORE_FAILED
    }

    private final Problem problem;

    public BackupException(Problem problem, String message) {
        super(ErrorCode.BACKUP, message);
        this.problem = problem;
    }

    public BackupException(Problem problem, String message, Throwable cause) {
        super(ErrorCode.BACKUP, message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}

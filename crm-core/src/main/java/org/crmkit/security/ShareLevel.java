package org.crmkit.security;

/** What a sharing rule or a manual share gives on the records it reaches. Wider levels come later. */
public enum ShareLevel {
    /** Read the records (as far as the grantee's object and field permissions allow). */
    READ,
    /** Read and, when the grantee's roles grant update or delete on the type, update and delete them. */
    READ_WRITE
}

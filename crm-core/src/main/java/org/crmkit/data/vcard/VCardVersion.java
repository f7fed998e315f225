package org.crmkit.data.vcard;

/** The vCard version an export writes: 3.0 (RFC 2426, what most address books read) or 4.0 (RFC 6350). */
public enum VCardVersion {
    /** vCard 3.0 (RFC 2426). */
    V3_0,
    /** vCard 4.0 (RFC 6350). */
    V4_0
}

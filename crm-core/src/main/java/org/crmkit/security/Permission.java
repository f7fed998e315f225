package org.crmkit.security;

/** What a role may do with records of an object type. */
public enum Permission {
    CREATE,
    READ,
    UPDATE,
    DELETE,
    /** Set or change a record's owner or team (Salesforce's "Transfer Record"). */
    TRANSFER
}

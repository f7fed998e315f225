package org.crmkit.security;

/**
 * What a role may administer, beside its grants on records (Salesforce's "system permissions"). {@link Role#ADMIN}
 * and {@link Principal#SYSTEM} have every one; other roles only those given with {@link Role.Builder#allow}.
 */
public enum AdminPermission {
    /**
     * Save, enable, disable, reorder and delete workflow rules, and read them. A rule saved with this permission
     * alone runs as the principal that saved it.
     */
    MANAGE_RULES,
    /**
     * Choose whom a workflow rule runs as (another user, or the system principal), and enable a rule that runs as
     * someone else. Give it only to those trusted with every principal's access.
     */
    RUN_RULES_AS_OTHERS,
    /** Save and delete report definitions ({@link org.crmkit.report.Reports#save}); anyone may run reports. */
    MANAGE_REPORTS,
    /**
     * Find, export and erase everything held about a person, and set and run the change log's retention
     * ({@link org.crmkit.CrmSession#privacy()}). Its answers ignore field access and record scope: give it to the
     * data-protection officer only.
     */
    MANAGE_PRIVACY,
    /**
     * Manage stored roles, the role hierarchy, user assignments and sharing rules ({@link AccessAdmin}), and share or
     * revoke any record it can read ({@link RecordShares}). Give it to administrators only: it can grant anything.
     */
    MANAGE_ACCESS,
    /**
     * Change the schema on behalf of others through a front end that checks it, such as crm-rest's schema resources
     * (create custom types, add, relabel and delete fields). The Java {@link org.crmkit.schema.Schema} API itself is
     * the host's and checks nothing: a host exposing it to users checks this permission first, with
     * {@link Principal#may(AdminPermission)}.
     */
    MANAGE_SCHEMA
}

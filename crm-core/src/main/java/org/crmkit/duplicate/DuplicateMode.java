package org.crmkit.duplicate;

/** What a create or update of a type does when the record it would write matches existing ones. */
public enum DuplicateMode {
    /** Nothing is checked. */
    OFF,
    /**
     * The write succeeds; {@link org.crmkit.RecordSet#createChecked} and {@link org.crmkit.RecordSet#updateChecked}
     * return the candidates (plain {@code create} and {@code update} do not check, as they could not tell), and an
     * import lists them per row.
     */
    WARN,
    /**
     * The write is refused with a {@link DuplicateException} listing the candidates the caller may see, and nothing is
     * written; an import reports the row as an error. Checked on every write path.
     */
    BLOCK
}

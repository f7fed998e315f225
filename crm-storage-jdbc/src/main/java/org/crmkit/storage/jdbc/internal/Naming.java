package org.crmkit.storage.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * Physical names of tables, columns, indexes and constraints. Every name is built from the table prefix (checked
 * when the storage is built) and from API names the schema engine has already checked
 * ({@code [a-z][a-z0-9_]{0,39}}, no {@code __}), and always reaches SQL through {@link DSL#name(String...)},
 * so it is quoted and never interpreted.
 *
 * <ul>
 *   <li>standard object types: {@code <prefix>crm_<type>}; custom ones {@code <prefix>crm_x_<type>}</li>
 *   <li>a field: a column of its name; a currency field also {@code <field>__currency}; an address one column
 *       per part, {@code <field>__street} ...</li>
 *   <li>a relation field: the link table {@code <table>__<field>(record_id, target_id, position)}</li>
 *   <li>system tables: {@code <prefix>crmkit_...}</li>
 * </ul>
 * Names longer than {@value #MAX} characters (PostgreSQL allows 63, MariaDB 64) are cut and end in a hash.
 */
public final class Naming {
    /** The longest physical name produced. */
    public static final int MAX = 60;
    private final String prefix;

    public Naming(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public Name table(ObjectType type) {
        return DSL.name(tableName(type));
    }

    private String tableName(ObjectType type) {
        return fit(prefix + (type.custom() ? "crm_x_" : "crm_") + type.name());
    }

    public Name linkTable(ObjectType type, Field relation) {
        return DSL.name(fit(tableName(type) + "__" + relation.name()));
    }

    public Name column(Field field) {
        return DSL.name(field.name());
    }

    /** The column of a part of a structured field: {@code currency} of a currency field, or an address part. */
    public Name column(Field field, String part) {
        return DSL.name(field.name() + "__" + part);
    }

    public Name system(String table) {
        return DSL.name(fit(prefix + "crmkit_" + table));
    }

    /** An index or constraint name, unique in the database: a kind, then a hash of what it covers. */
    public Name constraint(String kind, ObjectType type, String covers) {
        return DSL.name(fit(prefix + kind + "_" + hash(tableName(type) + "." + covers)));
    }

    private static String fit(String name) {
        return name.length() <= MAX ? name : name.substring(0, MAX - 9) + "_" + hash(name);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

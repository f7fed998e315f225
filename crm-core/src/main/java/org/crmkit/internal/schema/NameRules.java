package org.crmkit.internal.schema;

import java.util.Set;
import java.util.regex.Pattern;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;

/**
 * The rule for API names of object types and fields: {@code [a-z][a-z0-9_]{0,39}}, without {@code __}, and none
 * of the few names that truly collide. SQL storages quote every identifier, so SQL keywords ({@code value},
 * {@code type}, {@code order}, {@code select}...) are ordinary names. Reserved are: CEL's keywords and reserved
 * words (rules and formulas read fields as CEL variables), the variables rules add ({@code is_new}, {@code changed},
 * {@code prior}; {@code event}, {@code now} for fields only), the record's system properties ({@code id}, {@code version},
 * {@code owner}, {@code team}, {@code created_at/by}, {@code updated_at/by}, {@code deleted_at}), the merge marks of
 * the change log ({@code merged_into}, {@code merged_from}; field names only), PostgreSQL's
 * system columns ({@code ctid}, {@code xmin}...; field names only), and CRMKit's own names. {@code __} separates the columns of a
 * field's parts ({@code amount__currency}) and link tables. Checked before a name reaches a storage.
 */
public final class NameRules {
    /** Longest API name. */
    public static final int MAX_LENGTH = 40;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** Every reserved name, in the groups {@link org.crmkit.schema.Field} lists. */
    private static final Set<String> RESERVED = Set.of((""
            // CEL keywords and the words the CEL specification reserves (they cannot be variable names)
            + "false in null true as break const continue else for function if import let loop package "
            + "namespace return var void while "
            // the variables of record rules
            + "is_new changed prior "
            // names CRMKit keeps for itself
            + "crm crmkit metadata changelog").split(" "));

    /** Reserved for fields only: object type names are neither CEL variables nor columns. */
    private static final Set<String> RESERVED_FIELDS = Set.of((""
            // the further variables of workflow conditions
            + "event now "
            // the system values of merges in the change log (RecordSet.merge)
            + "merged_into merged_from "
            // PostgreSQL system columns, which no table may redefine
            + "tableoid xmin xmax cmin cmax ctid oid").split(" "));

    private NameRules() {}

    /** Throws {@link SchemaException} unless {@code name} is a valid API name for an object type or field. */
    public static void check(String objectType, @Nullable String field, String name) {
        String what = field == null ? "object type name" : "field name";
        String shown = shown(name);
        if (name.isEmpty() || name.length() > MAX_LENGTH || !IDENTIFIER.matcher(name).matches()) {
            String why = name.isEmpty() ? "is empty"
                    : name.length() > MAX_LENGTH ? "is " + name.length() + " characters long, at most " + MAX_LENGTH
                    : TextChecks.badCharacter(name, false) != null ? "contains " + TextChecks.badCharacter(name, false)
                    : "must match [a-z][a-z0-9_]{0,39} (lower-case letter first, then letters, digits, underscore)";
            throw new SchemaException(SchemaException.Problem.INVALID_NAME, field == null ? shown : objectType,
                    field == null ? null : shown, what + " '" + shown + "' " + why);
        }
        if (name.contains("__")) {
            throw new SchemaException(SchemaException.Problem.INVALID_NAME, field == null ? name : objectType,
                    field, what + " '" + name + "' contains '__', which storages keep for column and table names "
                            + "(amount__currency, address__city)");
        }
        if (RESERVED.contains(name) || ResolvedPath.PROPERTIES.containsKey(name)
                || (field != null && RESERVED_FIELDS.contains(name))) {
            throw new SchemaException(SchemaException.Problem.RESERVED_NAME, field == null ? name : objectType,
                    field == null ? null : name, what + " '" + name + "' is a reserved word");
        }
    }

    /** A safe rendering of a rejected name for messages: escaped, cut to 60 characters. */
    public static String shown(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(60).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e)
                    || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || Character.isSurrogate((char) cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (name.codePointCount(0, name.length()) > 60) {
            out.append("...");
        }
        return out.toString();
    }

    public static boolean isReserved(String name) {
        return RESERVED.contains(name) || RESERVED_FIELDS.contains(name);
    }
}

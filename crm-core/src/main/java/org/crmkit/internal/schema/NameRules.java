package org.crmkit.internal.schema;

import java.util.Set;
import java.util.regex.Pattern;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;

/**
 * The rule for API names of object types and fields: {@code [a-z][a-z0-9_]{0,39}}, and none of the words SQL
 * databases (H2, PostgreSQL, MariaDB, SQL:2016), CEL or CRMKit itself reserve. Checked before a name reaches a
 * storage, so storages can rely on it. Names may not contain {@code __}: SQL storages use it to name the
 * columns of a field's parts ({@code amount__currency}) and link tables.
 */
public final class NameRules {
    /** Longest API name. */
    public static final int MAX_LENGTH = 40;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private static final Set<String> RESERVED = Set.copyOf(java.util.Arrays.asList((""
            // SQL:2016, PostgreSQL, MariaDB/MySQL and H2 reserved words (union)
            + "abs absolute action add all allocate alter analyse analyze and any are array array_agg as asc "
            + "asensitive asymmetric at atomic authorization avg before begin between bigint binary blob boolean "
            + "both by call called cardinality cascade cascaded case cast ceil ceiling change char character "
            + "char_length character_length check clob close coalesce collate collation collect column commit "
            + "condition connect constraint constraints continue convert corr corresponding count covar_pop "
            + "covar_samp create cross cube cume_dist current current_catalog current_date current_path "
            + "current_role current_row current_schema current_time current_timestamp current_user cursor cycle "
            + "database databases date day day_hour day_microsecond day_minute day_second deallocate dec decimal "
            + "declare default deferrable deferred delayed delete dense_rank deref desc describe deterministic "
            + "disconnect distinct distinctrow div do double drop dual dynamic each element else elseif enclosed "
            + "end end_exec escape escaped every except exec execute exists exit exp explain external extract "
            + "false fetch filter first first_value float float4 float8 floor for force foreign freeze from full "
            + "fulltext function fusion get global grant group grouping groups having high_priority hold hour "
            + "hour_microsecond hour_minute hour_second identity if ignore ilike immediate in index infile "
            + "initially inner inout input insensitive insert int int1 int2 int3 int4 int8 integer intersect "
            + "intersection interval into is isnull iterate join key keys kill lag language large last last_value "
            // not "lead": it names a standard object type and field (MySQL's LEAD() is a window function; SQL
            // storages quote identifiers)
            + "lateral leading leave left level like like_regex limit linear lines ln load local localtime "
            + "localtimestamp lock long longblob longtext loop low_priority lower match max maxvalue mediumblob "
            + "mediumint mediumtext member merge method middleint min minus minute minute_microsecond "
            + "minute_second mod modifies module month multiset names national natural nchar nclob new next no "
            + "no_write_to_binlog none normalize not notnull nth_value ntile null nullif numeric octet_length of "
            + "offset old on only open optimize option optionally or order out outer outfile over overlaps overlay "
            + "parameter partition percent percent_rank percentile_cont percentile_disc placing position "
            + "power precision prepare primary procedure purge qualify range rank read reads real recursive ref "
            + "references referencing regexp regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope "
            + "regr_sxx regr_sxy regr_syy release rename repeat replace require resignal restrict result return "
            + "returning returns revoke right rlike rollback rollup row row_number rownum rows savepoint schema "
            + "schemas scope scroll search second second_microsecond select sensitive separator session_user set "
            + "show signal similar smallint some spatial specific specifictype sql sql_big_result "
            + "sql_calc_found_rows sql_small_result sqlexception sqlstate sqlwarning sqrt ssl start starting static "
            + "stddev_pop stddev_samp straight_join submultiset substring sum symmetric system system_user table "
            + "tablesample terminated then time timestamp timezone_hour timezone_minute tinyblob tinyint tinytext "
            + "to top trailing transaction translate translation treat trigger trim true truncate uescape undo "
            + "union unique unknown unlock unnest unsigned update upper usage use user using utc_date utc_time "
            + "utc_timestamp value values var_pop var_samp varbinary varchar varcharacter variadic varying verbose "
            + "when whenever where while width_bucket window with within without write xor year year_month "
            + "zerofill _rowid_ "
            // CEL reserved words and identifiers the rule language uses
            + "as break const continue else false for function if import in let loop package namespace null "
            + "return var void while true dyn type map list int uint double bool string bytes timestamp duration "
            + "is_new changed prior "
            // record system properties and names CRMKit keeps for itself
            + "crm crmkit metadata changelog").split(" ")));

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
        if (RESERVED.contains(name) || ResolvedPath.PROPERTIES.containsKey(name)) {
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
        return RESERVED.contains(name);
    }
}

package org.crmkit.data.export;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.crmkit.data.vcard.VCardVersion;
import org.crmkit.query.Query;

/**
 * Writes the records of a query as CSV or JSON Lines, on behalf of one principal ({@code session.export()}), streamed
 * onto the caller's {@link Writer} or {@link OutputStream}: the records are read page by page with the query's
 * cursors (the query's {@link Query#limit()} is the page size; a query with a cursor starts there) and each page is
 * written and flushed before the next is read, so memory stays constant however many records match. Every matching
 * record is written. The target is flushed, never closed. Each method returns the number of records written.
 *
 * <p><b>Access.</b> Exactly what the principal's {@code records(type).query(...)} returns: records outside their
 * scope are left out, and a field hidden from them is left out entirely (no column, no value; a formula or roll-up
 * as hidden as its inputs, as everywhere). Bad input fails before anything is written, with the errors the query
 * gives: an unknown type is a {@link org.crmkit.error.SchemaException}, a type the principal may not read an
 * {@link org.crmkit.error.AccessDeniedException}, a bad or hidden filter path a
 * {@link org.crmkit.error.ValidationException}. A failing target is an {@link UncheckedIOException}. Pages are read
 * one after another, not in one snapshot (as when a caller follows the cursors).
 *
 * <p><b>Columns</b>, in this order: {@code id}, {@code version}, {@code owner}, {@code created_at},
 * {@code updated_at}, then each field of the type that the principal may see, in schema order.
 *
 * <h2>CSV</h2>
 *
 * RFC 4180, as {@link org.crmkit.report.export.ReportExport} writes it: UTF-8 without a byte order mark, CRLF line
 * ends, a header line of column names, text cells starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or
 * CR neutralised against formula injection (prefixed with {@code '} and quoted; phone numbers in E.164 too,
 * {@code '+442079460958}), typed numbers written plainly, negative ones too, an empty value as an empty cell. Money is two columns, {@code <field>} (the amount) and {@code <field>.currency}; an
 * address one column per part, {@code <field>.street}, {@code .city}, {@code .region}, {@code .postal_code},
 * {@code .country}; a multi-picklist's options and a relation's ids are joined by {@code ;}; dates and instants are
 * ISO 8601.
 *
 * <h2>JSON Lines</h2>
 *
 * One JSON object per record and line (each ended by LF), UTF-8, with the same names as the CSV columns (a money
 * or address field under its own name): integers and exact decimals as JSON numbers (decimals in plain notation,
 * trailing zeros kept), money as {@code {"amount":1234.50,"currency":"EUR"}}, an address as an object of its parts,
 * multi-picklists and relations as arrays, dates and instants as ISO 8601 strings, an empty value as {@code null}
 * (an empty list as {@code []}).
 *
 * <h2>vCard</h2>
 *
 * The {@code contact} records of a query as vCards ({@link #vcards}), one card per contact, written with ez-vcard:
 * CRLF line ends, long lines folded, text escaped as the version requires. Mapping, each part written only when the
 * field is visible to the principal and not empty: {@code UID} {@code urn:uuid:<id>}, {@code REV} the update time,
 * {@code N} ({@code last_name};{@code first_name}) and {@code FN} ("first last"), {@code EMAIL} from {@code email},
 * {@code TEL;TYPE=work,voice} from {@code phone}, {@code TEL;TYPE=cell} from {@code mobile}, {@code TITLE} from
 * {@code title}, {@code ORG} the {@code name} of the {@code company} the contact references (only if the principal
 * may read that company and its name), {@code ADR;TYPE=work} from {@code address} (street, city as locality,
 * region, postal code, country), {@code NOTE} from {@code description}. Other fields are not written.
 * {@link org.crmkit.data.vcard.VCards} reads such cards back.
 */
public interface RecordExport {
    /** Writes the records of {@code objectType} matching {@code query} as CSV to {@code out}; returns how many. */
    long csv(String objectType, Query query, Writer out);

    /** Writes the records as CSV in UTF-8 (no byte order mark) to {@code out}; returns how many. */
    long csv(String objectType, Query query, OutputStream out);

    /** Writes the records of {@code objectType} matching {@code query} as JSON Lines to {@code out}; returns how many. */
    long jsonLines(String objectType, Query query, Writer out);

    /** Writes the records as JSON Lines in UTF-8 to {@code out}; returns how many. */
    long jsonLines(String objectType, Query query, OutputStream out);

    /** Writes the {@code contact} records matching {@code query} as vCards of {@code version}; returns how many. */
    long vcards(Query query, Writer out, VCardVersion version);

    /** Writes the contacts as vCards in UTF-8 to {@code out}; returns how many. */
    long vcards(Query query, OutputStream out, VCardVersion version);
}

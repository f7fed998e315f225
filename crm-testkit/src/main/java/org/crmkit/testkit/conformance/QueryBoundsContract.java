package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.not;
import static org.crmkit.query.Filters.or;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input built to exhaust a storage: filters past their size limits (refused when built, clear error, nothing
 * run) and filters at the limits (answered right on every storage); forged, edited, truncated and replayed
 * cursors (refused, all with the same error on field {@code cursor}).
 */
public abstract class QueryBoundsContract extends ConformanceContract {
    private final List<Record> widgets = new ArrayList<>();

    @BeforeEach
    void fixture() {
        defineWidget();
        for (int i = 0; i < 6; i++) {
            widgets.add(records(WIDGET).create(values("name", "w" + i, "qty", (long) i, "price",
                    new BigDecimal(i + ".50"), "owner", i % 2 == 0 ? "ann" : "bob")));
        }
    }

    // ---- filter limits ------------------------------------------------------------------------------------

    private static void assertOutOfRange(Throwable t) {
        assertThat(t).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) t).errors()).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("filter", FieldErrorCode.OUT_OF_RANGE));
    }

    /** Alternately nested and/or, {@code depth} levels deep; matches records named w0 or w1. */
    private static Filter alternating(int depth) {
        Filter f = where("name").eq("w0");
        for (int i = 1; i <= depth; i++) {
            f = i % 2 == 1 ? or(f, where("name").eq("w1")) : and(f, where("qty").gte(0));
        }
        return f;
    }

    @Test
    void filtersPastTheLimitsAreRefusedWhenBuilt() {
        assertOutOfRange(catchThrowable(() -> alternating(1_000)));
        assertOutOfRange(catchThrowable(() -> alternating(Filter.MAX_DEPTH + 1)));
        assertOutOfRange(catchThrowable(() -> {
            Filter f = where("qty").eq(1);
            for (int i = 0; i < 1_000; i++) {
                f = not(f);
            }
        }));
        Filter[] eqs = IntStream.range(0, 100_000).mapToObj(i -> where("qty").eq(i)).toArray(Filter[]::new);
        assertOutOfRange(catchThrowable(() -> or(eqs)));
        Filter[] moreThanMaxConditions = java.util.Arrays.copyOf(eqs, Filter.MAX_CONDITIONS + 1);
        assertOutOfRange(catchThrowable(() -> or(moreThanMaxConditions)));
        List<Long> thousand = IntStream.range(0, 1_000).mapToObj(i -> (long) i).toList();
        Filter[] ins = IntStream.range(0, 100).mapToObj(i -> where("qty").in(thousand)).toArray(Filter[]::new);
        assertOutOfRange(catchThrowable(() -> or(ins)));
        // flattening and(...) chains count too
        assertOutOfRange(catchThrowable(() -> {
            Filter f = where("qty").eq(0);
            for (int i = 1; i <= Filter.MAX_CONDITIONS; i++) {
                f = f.and(where("qty").eq(i));
            }
        }));
    }

    @Test
    void filtersAtTheLimitsAreAnsweredOnEveryStorage() {
        RecordSet w = records(WIDGET);
        Filter deep = alternating(Filter.MAX_DEPTH);
        assertThat(names(w, deep)).containsExactlyInAnyOrder("w0", "w1");
        assertThat(w.count(deep)).isEqualTo(2);
        Filter nots = where("qty").eq(3);
        for (int i = 0; i < Filter.MAX_DEPTH; i++) {
            nots = not(nots);
        }
        assertThat(names(w, nots)).containsExactly("w3");
        Filter wide = or(IntStream.range(0, Filter.MAX_CONDITIONS).mapToObj(i -> where("name").eq("w" + (i * 7)))
                .toArray(Filter[]::new));
        assertThat(names(w, wide)).containsExactlyInAnyOrder("w0");
        List<Long> thousand = IntStream.range(0, 1_000).mapToObj(i -> (long) i * 2).toList();
        Filter values = or(IntStream.range(0, Filter.MAX_VALUES / 1_000).mapToObj(i -> where("qty").in(thousand))
                .toArray(Filter[]::new));
        assertThat(w.count(values)).isEqualTo(3);
    }

    /** A sales rep's filter through references carries their scope: one that grows past the limits is refused. */
    @Test
    void scopedReferencePathsCountTowardsTheLimits() {
        Filter wide = or(IntStream.range(0, Filter.MAX_CONDITIONS).mapToObj(i -> where("company.name").eq("c" + i))
                .toArray(Filter[]::new));
        RecordSet asAnn = crm().as(Principal.user("ann", Role.SALES_REP)).records(WIDGET);
        assertOutOfRange(catchThrowable(() -> asAnn.count(wide)));
        assertThat(records(WIDGET).count(wide)).isZero();
    }

    private static List<String> names(RecordSet records, Filter filter) {
        return all(records, Query.where(filter).limit(2)).stream().map(r -> r.getString("name")).toList();
    }

    // ---- cursors -----------------------------------------------------------------------------------------

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static String payload(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The refusal of a bad cursor: one error on {@code cursor}, the same whatever is wrong with it. */
    private static FieldError refusal(Throwable t) {
        assertThat(t).isInstanceOf(ValidationException.class);
        List<FieldError> errors = ((ValidationException) t).errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).field()).isEqualTo("cursor");
        return errors.get(0);
    }

    @Test
    void forgedAndReplayedCursorsAreRefusedAlike() {
        RecordSet w = records(WIDGET);
        Query byPrice = Query.where(where("qty").gte(0)).orderBy(Sort.asc("price")).limit(2);
        Page<Record> first = w.query(byPrice);
        String cursor = first.nextCursor();
        assertThat(cursor).isNotNull();
        assertThat(w.query(byPrice.after(cursor)).items()).extracting(r -> r.getString("name"))
                .containsExactly("w2", "w3");
        String mac = cursor.substring(cursor.indexOf('.') + 1);
        UUID id = first.items().get(1).id();
        Map<String, Query> bad = new LinkedHashMap<>();
        bad.put("huge decimal", byPrice.after(payload("[[\"d\",\"1E+999999999\"],[\"u\",\"" + id + "\"]]") + "."
                + mac));
        bad.put("huge decimal, no mac", byPrice.after(payload("[[\"d\",\"1E+999999999\"],[\"u\",\"" + id + "\"]]")));
        bad.put("wrong type", byPrice.after(payload("[[\"s\",\"x\"],[\"u\",\"" + id + "\"]]") + "." + mac));
        bad.put("truncated", byPrice.after(cursor.substring(0, cursor.length() - 4)));
        bad.put("mac only", byPrice.after(mac));
        bad.put("payload only", byPrice.after(cursor.substring(0, cursor.indexOf('.'))));
        bad.put("edited", byPrice.after((cursor.charAt(0) == 'W' ? "X" : "W") + cursor.substring(1)));
        bad.put("garbage", byPrice.after("%%%.%%%"));
        bad.put("empty", byPrice.after(""));
        bad.put("very long", byPrice.after("A".repeat(200_000) + "." + mac));
        bad.put("another filter", Query.where(where("qty").gte(1)).orderBy(Sort.asc("price")).limit(2)
                .after(cursor));
        bad.put("another sort", Query.where(where("qty").gte(0)).orderBy(Sort.desc("price")).limit(2)
                .after(cursor));
        bad.put("another deletion state", byPrice.deleted(Query.Deleted.INCLUDE).after(cursor));
        FieldError expected = null;
        for (Map.Entry<String, Query> e : bad.entrySet()) {
            FieldError error = refusal(catchThrowable(() -> w.query(e.getValue())));
            if (expected == null) {
                expected = error;
            }
            assertThat(error).as(e.getKey()).isEqualTo(expected);
        }
        // the page size may change between pages
        assertThat(w.query(byPrice.limit(3).after(cursor)).items()).hasSize(3);
        // another object type
        assertThat(refusal(catchThrowable(() -> records("company").query(Query.all().orderBy(Sort.asc("name"))
                .limit(2).after(cursor))))).isEqualTo(expected);
    }

    @Test
    void aCursorBelongsToThePrincipalItWasMadeFor() {
        RecordSet asAnn = crm().as(Principal.user("ann", Role.SALES_REP)).records(WIDGET);
        RecordSet asBob = crm().as(Principal.user("bob", Role.SALES_REP)).records(WIDGET);
        RecordSet asAnnManager = crm().as(Principal.user("ann", Role.SALES_MANAGER)).records(WIDGET);
        Query q = Query.all().orderBy(Sort.asc("qty")).limit(1);
        String annsCursor = asAnn.query(q).nextCursor();
        assertThat(annsCursor).isNotNull();
        assertThat(asAnn.query(q.after(annsCursor)).items()).extracting(r -> r.getString("name"))
                .containsExactly("w2");
        refusal(catchThrowable(() -> asBob.query(q.after(annsCursor))));
        refusal(catchThrowable(() -> asAnnManager.query(q.after(annsCursor))));
        refusal(catchThrowable(() -> records(WIDGET).query(q.after(annsCursor))));
    }

    /** Durable storages keep the cursor key: a cursor made before a restart still pages after it. */
    @Test
    void cursorsOutliveARestartOfADurableStorage() {
        Query q = Query.all().orderBy(Sort.desc("price")).limit(2);
        Page<Record> first = records(WIDGET).query(q);
        String cursor = first.nextCursor();
        List<String> expected = records(WIDGET).query(q.after(cursor)).items().stream()
                .map(r -> r.getString("name")).toList();
        Crm again = reopen();
        if (again == null) {
            return;
        }
        assertThat(again.as(Principal.SYSTEM).records(WIDGET).query(q.after(cursor)).items())
                .extracting(r -> r.getString("name")).containsExactlyElementsOf(expected);
    }
}

package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.UnsupportedFeatureException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Condition;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Filter input: CRMKit has no filter text of its own, so callers (a REST layer, a UI's filter builder) turn what
 * users pick into the typed builders of {@link Filters} with values of any Java type. This target builds random
 * filters that way (paths of the deal and contact types, through references and relations, system properties and
 * made-up ones; every operator; values of every Java type a caller could pass, and some no caller should) and runs
 * them as a query and a count through the public API, as a sales rep (own scope) or a manager: a page or count, or a
 * {@link ValidationException} naming what is wrong (when the filter is built or when it is checked), never another
 * exception. Input: Jazzer's {@link FuzzedDataProvider} bytes (the corpus is the fuzzer's).
 */
class FilterFuzzTest {
    private static final List<String> PATHS = List.of("name", "amount", "amount.corporate", "amount.currency",
            "stage", "pipeline", "probability", "close_date", "company", "company.name", "company.industry",
            "company.employees", "contact", "contact.email", "contact.company.name", "contacts", "contacts.email",
            "description", "owner", "team", "created_at", "updated_at", "created_by", "id", "first_name",
            "last_name", "email", "phone", "mobile", "address", "address.city", "do_not_contact", "tags", "nope",
            "company.nope", "company.name.length", "", "a.b.c.d.e");

    private static Crm crm;
    private static CrmSession rep;
    private static CrmSession manager;
    private static List<UUID> ids;

    @BeforeAll
    static void start() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        manager = crm.as(Principal.user("u-2", Role.SALES_MANAGER));
        Record acme = rep.records("company").create(Map.of("name", "Acme Ltd", "industry", "software",
                "employees", 120L));
        Record ada = rep.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace", "email",
                "ada@acme.example", "company", acme.id()));
        Record deal = rep.records("deal").create(Map.of("name", "Skates", "amount", Money.of("12500", "EUR"),
                "company", acme.id(), "contact", ada.id(), "close_date", LocalDate.of(2026, 12, 31)));
        Record other = manager.records("deal").create(Map.of("name", "Boards", "amount", Money.of("99.50", "EUR"),
                "stage", "negotiation"));
        ids = List.of(acme.id(), ada.id(), deal.id(), other.id());
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void filterQuery(FuzzedDataProvider in) {
        CrmSession session = in.consumeBoolean() ? rep : manager;
        String type = in.consumeBoolean() ? "deal" : "contact";
        try {
            Query query = Query.where(filter(in, 0)).limit(in.consumeInt(-1, 20));
            if (in.consumeBoolean()) {
                String path = path(in);
                query = query.orderBy(in.consumeBoolean() ? Sort.asc(path) : Sort.desc(path));
            }
            Page<Record> page = session.records(type).query(query);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(query.limit());
            long count = session.records(type).count(query.filter());
            assertThat(count).isGreaterThanOrEqualTo(page.items().size());
        } catch (ValidationException | UnsupportedFeatureException e) {
            FuzzInput.refused(e);
        }
    }

    private static Filter filter(FuzzedDataProvider in, int depth) {
        int kind = in.consumeInt(0, depth > 6 ? 14 : 18);
        Condition where = kind < 15 ? Filters.where(path(in)) : null;
        return switch (kind) {
            case 0 -> where.eq(value(in, 0));
            case 1 -> where.ne(value(in, 0));
            case 2 -> where.lt(nonNull(in));
            case 3 -> where.lte(nonNull(in));
            case 4 -> where.gt(nonNull(in));
            case 5 -> where.gte(nonNull(in));
            case 6 -> where.in(values(in));
            case 7 -> where.between(value(in, 0), value(in, 0));
            case 8 -> where.isNull();
            case 9 -> where.isNotNull();
            case 10 -> where.contains(in.consumeString(40));
            case 11 -> where.startsWith(in.consumeString(40));
            case 12 -> where.hasAny(values(in).toArray());
            case 13 -> where.hasAll(values(in).toArray());
            case 14 -> Filters.all();
            case 15 -> Filters.not(filter(in, depth + 1));
            case 16 -> Filters.and(operands(in, depth));
            default -> Filters.or(operands(in, depth));
        };
    }

    private static Filter[] operands(FuzzedDataProvider in, int depth) {
        Filter[] operands = new Filter[in.consumeInt(0, 4)];
        for (int i = 0; i < operands.length; i++) {
            operands[i] = filter(in, depth + 1);
        }
        return operands;
    }

    private static String path(FuzzedDataProvider in) {
        return in.consumeInt(0, 9) == 0 ? in.consumeString(30) : in.pickValue(PATHS);
    }

    private static List<@Nullable Object> values(FuzzedDataProvider in) {
        List<@Nullable Object> values = new ArrayList<>();
        int n = in.consumeInt(0, 5);
        for (int i = 0; i < n; i++) {
            values.add(value(in, 1));
        }
        return values;
    }

    private static Object nonNull(FuzzedDataProvider in) {
        Object v = value(in, 0);
        return v == null ? "" : v;
    }

    /** A value of any type a caller could pass, lists included (one level). */
    private static @Nullable Object value(FuzzedDataProvider in, int depth) {
        return switch (in.consumeInt(0, depth > 0 ? 15 : 16)) {
            case 0 -> null;
            case 1 -> in.consumeString(60);
            case 2 -> in.consumeLong();
            case 3 -> in.consumeInt();
            case 4 -> in.consumeDouble();
            case 5 -> new BigDecimal(in.consumeLong()).scaleByPowerOfTen(in.consumeInt(-50, 50));
            case 6 -> in.consumeBoolean();
            case 7 -> LocalDate.ofEpochDay(in.consumeLong(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()));
            case 8 -> Instant.ofEpochSecond(in.consumeLong(-31557014167219200L, 31556889864403199L),
                    in.consumeInt(0, 999_999_999));
            case 9 -> in.pickValue(ids);
            case 10 -> new UUID(in.consumeLong(), in.consumeLong());
            case 11 -> new Money(new BigDecimal(in.consumeLong()).scaleByPowerOfTen(in.consumeInt(-6, 6)),
                    in.pickValue(List.of("EUR", "USD", "JPY", "GBP")));
            case 12 -> in.pickValue(List.of("software", "negotiation", "prospecting", "u-1", "u-2", "GBP"));
            case 13 -> in.consumeFloat();
            case 14 -> new StringBuilder(in.consumeString(10));
            case 15 -> in.pickValue(List.of(new Object(), Map.of("a", 1), 'x', (short) 3, new java.util.Date(0)));
            default -> values(in);
        };
    }
}

package org.crmkit.testkit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.datafaker.Faker;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.crmkit.security.Principal;

/**
 * Realistic, deterministic sample data made with Datafaker from a fixed seed: companies, contacts linked to
 * companies, and deals (linked to a company and one of its contacts) spread over the stages of the default
 * pipeline. The same spec loaded into two empty CRMs gives the same field values (record ids differ).
 *
 * <pre>{@code
 * SampleData.Loaded data = SampleData.small().loadInto(crm);
 * Record acme = data.companies().get(0);
 * }</pre>
 *
 * @param companies how many companies
 * @param contacts  how many contacts (each linked to a company when there is one)
 * @param deals     how many deals
 * @param seed      the random seed; same seed, same data
 * @param owners    user ids the records are handed out to in turn; empty: owned by the loading principal
 */
public record SampleData(int companies, int contacts, int deals, long seed, List<String> owners) {
    /** The seed used unless {@link #withSeed(long)} says otherwise. */
    public static final long DEFAULT_SEED = 20_260_101L;
    private static final LocalDate BASE_DATE = LocalDate.of(2026, 1, 1);

    public SampleData {
        Objects.requireNonNull(owners, "owners");
        if (companies < 0 || contacts < 0 || deals < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        owners = List.copyOf(owners);
    }

    /** 5 companies, 15 contacts, 10 deals. */
    public static SampleData small() {
        return of(5, 15, 10);
    }

    /** 50 companies, 200 contacts, 150 deals. */
    public static SampleData medium() {
        return of(50, 200, 150);
    }

    /** Any sizes, with the default seed. */
    public static SampleData of(int companies, int contacts, int deals) {
        return new SampleData(companies, contacts, deals, DEFAULT_SEED, List.of());
    }

    /** The same sizes with another seed. */
    public SampleData withSeed(long newSeed) {
        return new SampleData(companies, contacts, deals, newSeed, owners);
    }

    /** The same data handed out in turn to these owners (loaded as {@link Principal#SYSTEM}, which may). */
    public SampleData ownedBy(String... userIds) {
        Objects.requireNonNull(userIds, "userIds");
        return new SampleData(companies, contacts, deals, seed, List.of(userIds));
    }

    /** What was loaded, in creation order. */
    public record Loaded(List<Record> companies, List<Record> contacts, List<Record> deals) {
        public Loaded {
            Objects.requireNonNull(companies, "companies");
            Objects.requireNonNull(contacts, "contacts");
            Objects.requireNonNull(deals, "deals");
            companies = List.copyOf(companies);
            contacts = List.copyOf(contacts);
            deals = List.copyOf(deals);
        }

        /** Every loaded record. */
        public List<Record> all() {
            List<Record> out = new ArrayList<>(companies);
            out.addAll(contacts);
            out.addAll(deals);
            return out;
        }
    }

    /** Loads the data as {@link Principal#SYSTEM} in one transaction. */
    public Loaded loadInto(Crm crm) {
        Objects.requireNonNull(crm, "crm");
        return loadInto(crm, crm.as(Principal.SYSTEM));
    }

    /**
     * Loads the data through {@code session} in one transaction (the principal needs create permission, and
     * transfer permission when {@link #owners()} is not empty).
     */
    public Loaded loadInto(Crm crm, CrmSession session) {
        Objects.requireNonNull(crm, "crm");
        Objects.requireNonNull(session, "session");
        Pipeline pipeline = crm.schema().pipeline(Pipeline.DEFAULT);
        List<String> industries = options(crm.schema().objectType("company"), "industry");
        return session.inTransaction(s -> {
            Random random = new Random(seed);
            Faker faker = new Faker(Locale.US, random);
            Set<String> usedDomains = new HashSet<>();
            List<Record> madeCompanies = new ArrayList<>();
            List<Record> madeContacts = new ArrayList<>();
            List<Record> madeDeals = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < companies; i++) {
                String name = faker.company().name();
                String domain = slug(name);
                if (domain.isEmpty()) {
                    domain = "company";
                }
                String unique = domain;
                for (int n = 2; !usedDomains.add(unique); n++) {
                    unique = domain + n;
                }
                Map<String, Object> v = new HashMap<>();
                v.put("name", name);
                v.put("domain", unique + ".example.com");
                v.put("website", "https://www." + unique + ".example.com");
                v.put("industry", industries.get(random.nextInt(industries.size())));
                v.put("employees", 5L + random.nextInt(5000));
                v.put("annual_revenue", Money.of(100_000L * (1 + random.nextInt(500)), "USD"));
                owner(v, next++);
                madeCompanies.add(s.records("company").create(v));
            }
            for (int i = 0; i < contacts; i++) {
                String first = faker.name().firstName();
                String last = faker.name().lastName();
                Map<String, Object> v = new HashMap<>();
                v.put("first_name", first);
                v.put("last_name", last);
                v.put("title", faker.job().title());
                if (!madeCompanies.isEmpty()) {
                    Record company = madeCompanies.get(i % madeCompanies.size());
                    v.put("company", company.id());
                    v.put("email", local(first, last, i) + "@" + company.getString("domain"));
                } else {
                    v.put("email", local(first, last, i) + "@example.org");
                }
                owner(v, next++);
                madeContacts.add(s.records("contact").create(v));
            }
            List<Stage> stages = pipeline.stages();
            for (int i = 0; i < deals; i++) {
                Stage stage = stages.get(random.nextInt(stages.size()));
                Map<String, Object> v = new HashMap<>();
                Record company = madeCompanies.isEmpty() ? null
                        : madeCompanies.get(random.nextInt(madeCompanies.size()));
                String product = faker.commerce().productName();
                v.put("name", (company == null ? "Deal" : company.getString("name")) + " - " + product);
                v.put("amount", new Money(BigDecimal.valueOf(500L * (2 + random.nextInt(400))),
                        random.nextInt(5) == 0 ? "EUR" : "USD"));
                v.put("pipeline", pipeline.name());
                v.put("stage", stage.name());
                v.put("close_date", BASE_DATE.plusDays(random.nextInt(180) - (stage.isClosed() ? 180 : 0)));
                if (company != null) {
                    v.put("company", company.id());
                    Record contact = madeContacts.stream()
                            .filter(c -> company.id().equals(c.getReference("company"))).findFirst().orElse(null);
                    if (contact != null) {
                        v.put("contact", contact.id());
                    }
                }
                owner(v, next++);
                madeDeals.add(s.records("deal").create(v));
            }
            return new Loaded(madeCompanies, madeContacts, madeDeals);
        });
    }

    private void owner(Map<String, Object> values, int index) {
        if (!owners.isEmpty()) {
            values.put("owner", owners.get(index % owners.size()));
        }
    }

    private static List<String> options(ObjectType type, String field) {
        List<String> out = type.findField(field).map(Field::options).orElse(List.of()).stream()
                .filter(PicklistOption::active).map(PicklistOption::value).toList();
        return out.isEmpty() ? List.of("other") : out;
    }

    private static String local(String first, String last, int i) {
        String a = slug(first);
        String b = slug(last);
        return (a.isEmpty() ? "" : a + ".") + (b.isEmpty() ? "contact" : b) + i;
    }

    /** Lower-case ASCII letters and digits of {@code text}, for made-up domains and email addresses. */
    private static String slug(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            }
        }
        return b.length() > 30 ? b.substring(0, 30) : b.toString();
    }
}

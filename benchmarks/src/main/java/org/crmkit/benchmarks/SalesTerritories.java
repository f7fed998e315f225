package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.schema.Pipeline;
import org.crmkit.security.AccessAdmin;
import org.crmkit.security.Grantee;
import org.crmkit.security.Permission;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;

/**
 * The stored access model of {@code security.<db>.shared_query}, saved with {@link AccessAdmin} over the deals of
 * {@link DealData}:
 *
 * <ul>
 *   <li>Roles: {@code vp_sales} at the top; below it {@value #BRANCHES} branches, each a chain of four roles
 *       {@code director_<b>} &gt; {@code manager_<b>} &gt; {@code lead_<b>} &gt; {@code rep_<b>}. Every one of them
 *       reads, creates and updates its own deals only ({@link RecordScope#OWN}); {@code sales_ops}, outside the
 *       hierarchy, reads every deal ({@link RecordScope#ALL}).</li>
 *   <li>Users: the deals' owners {@code rep-01} to {@code rep-50}, owner {@code r} (from 0) in branch
 *       {@code r % 5} as its manager, lead or rep (by turns), so each branch owns a fifth of the deals spread over
 *       three levels below its director; {@value #USER} as {@code director_0} in team {@value #TEAM}; {@value #ADMIN}
 *       as {@code sales_ops}.</li>
 *   <li>Ten sharing rules on {@code deal}, all at {@link ShareLevel#READ} and all reaching {@value #USER}, through
 *       each kind of grantee: two share the deals of one owner of another branch (coverage), three those of a few key
 *       accounts (companies, half a percent of them each) with {@code vp_sales} and subordinates, five those of a
 *       stage closing in a given period, or of any stage closing in a given week.</li>
 * </ul>
 *
 * So {@value #USER} reaches, besides its own deals (none), those of its ten subordinate owners (a fifth) and those of
 * the rules (about a tenth more): {@link #reach()} is that written out as one filter, for the check that the engine
 * gives exactly these.
 */
final class SalesTerritories {
    static final String USER = "bench-director";
    static final String ADMIN = "bench-sales-ops";
    static final String TEAM = "emea";
    static final int BRANCHES = 5;
    static final List<String> LEVELS = List.of("director", "manager", "lead", "rep");

    private final Filter reach;
    private final Filter hierarchy;
    private final int rules;

    private SalesTerritories(Filter reach, Filter hierarchy, int rules) {
        this.reach = reach;
        this.hierarchy = hierarchy;
        this.rules = rules;
    }

    /** Saves the roles, users and rules through {@code access}; {@code deals} and {@code data} name the companies. */
    static SalesTerritories install(AccessAdmin access, DealCrm deals, DealData data, Pipeline sales) {
        Permission[] own = {Permission.CREATE, Permission.READ, Permission.UPDATE};
        access.saveRole(Role.builder("vp_sales").grant("deal", RecordScope.OWN, own).build());
        for (int b = 0; b < BRANCHES; b++) {
            String parent = "vp_sales";
            for (String level : LEVELS) {
                String role = level + "_" + b;
                access.saveRole(Role.builder(role).grant("deal", RecordScope.OWN, own).build());
                access.setParent(role, parent);
                parent = role;
            }
        }
        access.saveRole(Role.builder("sales_ops").grant("deal", RecordScope.ALL, Permission.READ).build());
        List<String> subordinates = new ArrayList<>();
        for (int r = 0; r < DealData.REPS; r++) {
            int branch = r % BRANCHES;
            String role = LEVELS.get(1 + (r / BRANCHES) % (LEVELS.size() - 1)) + "_" + branch;
            access.saveUser(new StoredUser(DealData.rep(r), role, List.of()));
            if (branch == 0) {
                subordinates.add(DealData.rep(r));
            }
        }
        access.saveUser(new StoredUser(USER, "director_0", List.of(TEAM)));
        access.saveUser(new StoredUser(ADMIN, "sales_ops", List.of()));

        List<SharingRule> rules = rules(deals, data, sales);
        List<Filter> reach = new ArrayList<>();
        reach.add(where("owner").eq(USER));
        Filter hierarchy = where("owner").in(subordinates);
        reach.add(hierarchy);
        for (SharingRule rule : rules) {
            access.saveRule(rule);
            reach.add(rule.filter());
        }
        return new SalesTerritories(Filters.or(reach.toArray(Filter[]::new)), hierarchy, rules.size());
    }

    private static List<SharingRule> rules(DealCrm deals, DealData data, Pipeline sales) {
        String prospecting = sales.stages().get(0).name();
        String proposal = sales.stages().get(2).name();
        String negotiation = sales.stages().get(3).name();
        String won = sales.stages().get(4).name();
        LocalDate d0 = DealData.FIRST_CLOSE_DATE;
        int perAccount = Math.max(1, data.companies() / 200);
        List<SharingRule> rules = new ArrayList<>();
        rules.add(rule(coverage(1), where("owner").eq(DealData.rep(1)), Grantee.role("director_0")));
        rules.add(rule(coverage(7), where("owner").eq(DealData.rep(7)),
                Grantee.roleAndSubordinates("director_0")));
        for (int a = 0; a < 3; a++) {
            int first = (1 + 2 * a) * data.companies() / 7;
            List<UUID> accounts = deals.companyIds(IntStream.range(first, first + perAccount)
                    .map(c -> c % data.companies()).toArray());
            rules.add(rule("key_accounts_" + (char) ('a' + a), where("company").in(accounts),
                    Grantee.roleAndSubordinates("vp_sales")));
        }
        rules.add(rule("emea_week_12", where("close_date").between(d0.plusWeeks(11), d0.plusWeeks(12).minusDays(1)),
                Grantee.team(TEAM)));
        rules.add(rule("negotiation_2025_q2", stageClosing(negotiation, d0.plusMonths(3), d0.plusMonths(6)),
                Grantee.role("director_0")));
        rules.add(rule("won_2026_03", stageClosing(won, d0.plusMonths(14), d0.plusMonths(15)),
                Grantee.roleAndSubordinates("director_0")));
        rules.add(rule("proposal_2025_01", stageClosing(proposal, d0, d0.plusMonths(1)), Grantee.team(TEAM)));
        rules.add(rule("prospecting_2025_02", stageClosing(prospecting, d0.plusMonths(1), d0.plusMonths(2)),
                Grantee.role("director_0")));
        return rules;
    }

    /** The name of the rule that shares owner {@code r}'s deals, e.g. {@code cover_rep_02}. */
    private static String coverage(int r) {
        return "cover_" + DealData.rep(r).replace('-', '_');
    }

    /** Deals in {@code stage} closing from {@code from} up to (not including) {@code until}. */
    private static Filter stageClosing(String stage, LocalDate from, LocalDate until) {
        return where("stage").eq(stage).and(where("close_date").between(from, until.minusDays(1)));
    }

    private static SharingRule rule(String name, Filter filter, Grantee grantee) {
        return new SharingRule(name, "deal", filter, grantee, ShareLevel.READ);
    }

    /** The deals {@value #USER} reaches, written out: its own, its subordinates' and every rule's. */
    Filter reach() {
        return reach;
    }

    /** The deals {@value #USER} reaches through the hierarchy: those of the owners below {@code director_0}. */
    Filter hierarchy() {
        return hierarchy;
    }

    int rules() {
        return rules;
    }
}

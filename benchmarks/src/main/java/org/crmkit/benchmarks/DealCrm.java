package org.crmkit.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;

/**
 * One {@code Crm} of the {@code reports} suite on a database of its own, loaded with the suite's companies and deals
 * ({@link DealData}) through {@code importRecords}, and what the suite keeps of them: their ids and each deal's
 * version, so that it updates deals at their version without reading them first.
 */
final class DealCrm implements AutoCloseable {
    /**
     * 5,000 rows per transaction: on H2 and PostgreSQL about a quarter faster than the default 1,000 (100,000 deals,
     * 2026-12-05), and no slower than the largest batch, 10,000.
     */
    static final ImportOptions IMPORT = ImportOptions.defaults().batchSize(5_000);

    /** How this one is told apart in notes, e.g. {@code with roll-ups}. */
    final String label;
    final Crm crm;
    private final RecordSet companies;
    private final RecordSet deals;
    private UUID[] companyIds = new UUID[0];
    private UUID[] dealIds = new UUID[0];
    private long[] dealVersions = new long[0];

    DealCrm(String label, BenchDatabase db) {
        this.label = label;
        this.crm = Crm.builder().storage(db.crmkitStorage("")).build();
        this.companies = crm.as(Principal.SYSTEM).records("company");
        this.deals = crm.as(Principal.SYSTEM).records("deal");
    }

    /** Imports the companies of {@code data}. */
    void loadCompanies(DealData data) {
        companyIds = ids(companies.importRecords("bench-companies", data.companyRows(), IMPORT),
                data.companies());
    }

    /** Imports the deals of {@code data}, each referring to its company ({@link #loadCompanies} first). */
    void loadDeals(DealData data) {
        dealIds = ids(deals.importRecords("bench-deals", data.dealRows(companyIds), IMPORT),
                data.deals());
        dealVersions = new long[dealIds.length];
        Arrays.fill(dealVersions, 1L);
    }

    /** The ids of an import's rows in row order; throws unless it created every one of {@code rows}. */
    static UUID[] ids(ImportResult r, int rows) {
        if (r.created() != rows || r.failed() != 0) {
            throw new IllegalStateException("import created " + r.created() + " of " + rows + " rows; errors: "
                    + r.errors().subList(0, Math.min(5, r.errors().size())));
        }
        UUID[] ids = new UUID[rows];
        r.createdIds().forEach((row, id) -> ids[(int) (row - 1)] = id);
        return ids;
    }

    /** Updates deal {@code deal} (an index of {@link DealData}) at the version the suite keeps for it. */
    Record updateDeal(int deal, Map<String, ?> changes) {
        Record r = deals.update(dealIds[deal], dealVersions[deal], changes);
        dealVersions[deal] = r.version();
        return r;
    }

    /** The id of company {@code company} (an index of {@link DealData}). */
    UUID companyId(int company) {
        return companyIds[company];
    }

    /** The versions of all deals, by index. */
    long[] dealVersions() {
        return dealVersions.clone();
    }

    /** The ids of the given companies. */
    List<UUID> companyIds(int... indexes) {
        return Arrays.stream(indexes).mapToObj(this::companyId).toList();
    }

    @Override
    public void close() {
        crm.close();
    }
}

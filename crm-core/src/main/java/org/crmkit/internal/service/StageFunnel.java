package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.report.ReportTable;
import org.crmkit.report.ReportTable.Column;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.jspecify.annotations.Nullable;

/**
 * The funnel of {@link org.crmkit.report.StandardReports#funnel}: reads the deals as the caller in pages of
 * {@value #PAGE} (their filter names {@code stage}, so a caller who cannot see it is refused as by any query), then
 * the change-log entries of each page in one batch ({@link org.crmkit.storage.spi.Storage#changesOf(Map)}), and
 * follows each deal's {@code stage} changes: which stages it was in, and how long each stay that ended lasted.
 */
final class StageFunnel {
    /** Deals per page, and per batch of change-log reads. */
    static final int PAGE = 500;
    private static final BigDecimal MICROS_PER_DAY = BigDecimal.valueOf(86_400_000_000L);

    private final Session session;
    private final Pipeline pipeline;
    private final List<Stage> stages;
    /** Per stage (pipeline order): the deals that reached it, the stays that ended and their total microseconds. */
    private final long[] reached;
    private final long[] stays;
    private final long[] stayMicros;

    StageFunnel(Session session, Pipeline pipeline) {
        this.session = session;
        this.pipeline = pipeline;
        this.stages = pipeline.stages();
        this.reached = new long[stages.size()];
        this.stays = new long[stages.size()];
        this.stayMicros = new long[stages.size()];
    }

    /** The funnel of the deals matching {@code filter} (deals of the pipeline, as the caller sees them). */
    ReportTable run(Records deals, Filter filter) {
        Query q = Query.where(filter).limit(PAGE);
        while (true) {
            Page<Record> page = deals.query(q);
            count(page.items());
            if (page.nextQuery().isEmpty()) {
                break;
            }
            q = page.nextQuery().get();
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        int previous = -1; // the previous open or won stage
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            boolean lost = s.kind() == StageKind.LOST;
            BigDecimal rate = lost || previous < 0 ? null : SessionStandardReports.percent(reached[i],
                    reached[previous]);
            BigDecimal days = stays[i] == 0 ? null : BigDecimal.valueOf(stayMicros[i])
                    .divide(MICROS_PER_DAY.multiply(BigDecimal.valueOf(stays[i])), 2, RoundingMode.HALF_EVEN);
            rows.add(java.util.Arrays.asList(s.name(), s.label(), reached[i], rate, days));
            if (!lost) {
                previous = i;
            }
        }
        return new ReportTable("funnel", "Funnel: " + pipeline.label(), List.of(Column.group("stage", "Stage"),
                Column.group("stage_label", "Stage label"), Column.measure("reached", "Reached"),
                Column.measure("conversion_rate", "Conversion from previous stage (%)"),
                Column.measure("avg_days_in_stage", "Average days in stage")), rows);
    }

    /** Adds one page of deals, reading their history in one batch. */
    private void count(List<Record> deals) {
        if (deals.isEmpty()) {
            return;
        }
        Map<UUID, String> ids = new LinkedHashMap<>();
        deals.forEach(d -> ids.put(d.id(), "deal"));
        Map<UUID, List<ChangeLogEntry>> history = new HashMap<>();
        for (ChangeLogEntry e : session.engine.storage.changesOf(ids)) { // in sequence order
            if (e.change("stage").isPresent()) {
                history.computeIfAbsent(e.recordId(), k -> new ArrayList<>()).add(e);
            }
        }
        for (Record d : deals) {
            follow(d, history.getOrDefault(d.id(), List.of()));
        }
    }

    /** One deal: the stages it was in (its current one included) and its ended stays. */
    private void follow(Record deal, List<ChangeLogEntry> changes) {
        boolean[] visited = new boolean[stages.size()];
        int current = -1;
        Instant entered = null;
        for (ChangeLogEntry e : changes) {
            FieldChange c = e.change("stage").orElseThrow();
            Instant at = e.at().truncatedTo(ChronoUnit.MICROS); // what SQL storages keep
            if (current >= 0 && entered != null) {
                stays[current]++;
                stayMicros[current] += ChronoUnit.MICROS.between(entered, at);
            }
            current = c.newValue() instanceof String s ? pipeline.indexOf(s) : -1;
            entered = at;
            if (current >= 0) {
                visited[current] = true;
            }
        }
        if (deal.get("stage") instanceof String now && pipeline.indexOf(now) >= 0) {
            visited[pipeline.indexOf(now)] = true; // also when the log has no entry for it
        }
        boolean won = false;
        int furthestOpen = -1;
        for (int i = 0; i < stages.size(); i++) {
            if (visited[i] && stages.get(i).kind() == StageKind.WON) {
                won = true;
            }
            if (visited[i] && stages.get(i).kind() == StageKind.OPEN) {
                furthestOpen = i;
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            boolean open = stages.get(i).kind() == StageKind.OPEN;
            if (open ? won || i <= furthestOpen : visited[i]) {
                reached[i]++;
            }
        }
    }
}

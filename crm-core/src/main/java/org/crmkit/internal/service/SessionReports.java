package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Metric;
import java.util.function.Consumer;
import org.crmkit.report.RebuildProgress;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.report.Reports;
import org.crmkit.security.AdminPermission;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;

/**
 * {@link Reports} for one session: definitions are documents of kind {@value #KIND} in the storage's
 * {@link DocumentStore} (versioned, with history); a run is one {@link org.crmkit.RecordSet#aggregate} call as the
 * session's principal, so the storage groups and aggregates in one query and the caller's access applies as to any
 * aggregate, or, for a summarised report the caller may read whole, a read of its summary ({@link ReportSummaries}).
 * Only the top-N cut is done here, on the grouped rows.
 */
final class SessionReports implements Reports {
    static final String KIND = "report";
    /** Most rows a top-N report keeps. */
    static final int MAX_TOP = 10_000;

    private final Session session;
    /** The engine's report codec (a session's reports are made per call; a Jackson mapper is not cheap to make). */
    private final StorageJson json;

    SessionReports(Session session) {
        this.session = session;
        this.json = session.engine.summaries.json();
    }

    private DocumentStore documents() {
        return session.engine.storage.extension(DocumentStore.class)
                .orElseThrow(() -> new org.crmkit.error.UnsupportedFeatureException("DOCUMENTS", "saved reports need "
                        + "a storage that keeps documents; " + session.engine.storage.name() + " does not"));
    }

    @Override
    public ReportDefinition save(ReportDefinition definition) {
        java.util.Objects.requireNonNull(definition, "definition");
        if (!session.principal().may(AdminPermission.MANAGE_REPORTS)) {
            throw new AccessDeniedException(session.principal().id(), "reports", "save reports (needs the "
                    + AdminPermission.MANAGE_REPORTS + " permission)");
        }
        check(definition);
        checkPaths(definition);
        DocumentStore docs = documents();
        boolean wasSummarised = definition.version() > 0 && find(definition.name())
                .filter(ReportDefinition::summarised).isPresent();
        DocumentStore.StoredDocument saved = session.engine.transaction(tx -> docs.save(tx.storage, KIND,
                definition.name(), definition.version(), json.writeReport(definition), session.principal().id(),
                session.engine.clock.instant()));
        ReportDefinition result = definition.withVersion(saved.version());
        if (result.summarised()) {
            session.engine.summaries.rebuild(result, p -> {});
        } else if (wasSummarised) {
            session.engine.summaries.drop(result.name());
        }
        return result;
    }

    @Override
    public RebuildProgress rebuild(String name, Consumer<RebuildProgress> progress) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(progress, "progress");
        if (!session.principal().may(AdminPermission.MANAGE_REPORTS)) {
            throw new AccessDeniedException(session.principal().id(), "reports", "rebuild report summaries (needs "
                    + "the " + AdminPermission.MANAGE_REPORTS + " permission)");
        }
        ReportDefinition d = find(name).orElseThrow(() -> notFound(name));
        if (!d.summarised()) {
            throw new ValidationException(d.objectType(), List.of(new FieldError("summarised",
                    FieldErrorCode.UNSUPPORTED_OPERATION, "report '" + name + "' is not summarised")));
        }
        return session.engine.summaries.rebuild(d, progress);
    }

    @Override
    public Optional<ReportDefinition> find(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return documents().find(KIND, name).map(this::read);
    }

    @Override
    public List<ReportDefinition> list() {
        return documents().list(KIND).stream().map(this::read).sorted(Comparator.comparing(ReportDefinition::name))
                .toList();
    }

    @Override
    public List<ReportDefinition> history(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return documents().history(KIND, name).stream().filter(d -> d.body() != null).map(this::read).toList();
    }

    @Override
    public void delete(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (!session.principal().may(AdminPermission.MANAGE_REPORTS)) {
            throw new AccessDeniedException(session.principal().id(), "reports", "delete reports (needs the "
                    + AdminPermission.MANAGE_REPORTS + " permission)");
        }
        DocumentStore docs = documents();
        ReportDefinition current = find(name).orElseThrow(() -> notFound(name));
        session.engine.transaction(tx -> docs.save(tx.storage, KIND, name, current.version(), null,
                session.principal().id(), session.engine.clock.instant()));
        if (current.summarised()) {
            session.engine.summaries.drop(name);
        }
    }

    @Override
    public void validate(ReportDefinition definition) {
        java.util.Objects.requireNonNull(definition, "definition");
        check(definition);
        checkPaths(definition);
    }

    @Override
    public ReportResult run(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return run(find(name).orElseThrow(() -> notFound(name)));
    }

    @Override
    public ReportResult run(ReportDefinition definition) {
        java.util.Objects.requireNonNull(definition, "definition");
        check(definition);
        Optional<List<AggregateRow>> summarised = fromSummary(definition);
        List<AggregateRow> rows = summarised.orElseGet(() -> session.records(definition.objectType())
                .aggregate(new Aggregation(definition.groupPaths(), definition.metrics()), definition.filter()));
        return new ReportResult(definition, definition.topN() > 0 ? top(rows, definition) : rows,
                summarised.isPresent() ? ReportResult.Source.SUMMARY : ReportResult.Source.LIVE);
    }

    /**
     * The rows from the report's summary, when it has a current one and the caller may read every record of the
     * type (what they may see of its fields was checked by {@link #check}, which names a hidden field as unknown).
     */
    private Optional<List<AggregateRow>> fromSummary(ReportDefinition d) {
        if (!d.summarised() || d.version() == 0) {
            return Optional.empty();
        }
        checkPaths(d); // a live run's aggregate checks them itself
        CompiledSchema cs = session.engine.schema.compiled();
        Access access = new Access(session.principal(), d.objectType(), cs, session.engine.accessModels);
        if (!access.can(org.crmkit.security.Permission.READ) || access.scopeFilter() != null) {
            return Optional.empty();
        }
        return session.engine.summaries.rows(d)
                .map(raw -> new AggregatePlan(cs.snapshot.findObjectType(d.objectType()).orElseThrow(),
                        new Aggregation(d.groupPaths(), d.metrics()), cs.snapshot.currencies().corporate())
                        .results(raw));
    }

    @Override
    public org.crmkit.report.StandardReports standard() {
        return new SessionStandardReports(session);
    }

    /** The N rows with the greatest first metric (empty values last), ties in group order. */
    private static List<AggregateRow> top(List<AggregateRow> rows, ReportDefinition d) {
        Metric first = d.metrics().get(0);
        List<AggregateRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((AggregateRow r) -> number(r.get(first)),
                Comparator.nullsLast(Comparator.reverseOrder())));
        return sorted.subList(0, Math.min(d.topN(), sorted.size()));
    }

    private static @Nullable BigDecimal number(@Nullable Object v) {
        return switch (v) {
            case null -> null;
            case BigDecimal d -> d;
            case Number n -> BigDecimal.valueOf(n.longValue());
            case org.crmkit.record.Money m -> m.amount();
            default -> null; // min/max of dates rank by group order only
        };
    }

    /**
     * The checks of the definition's own shape and of what a summary can keep; what it names is checked against the
     * schema and the caller's access by {@link #checkPaths}, or by the aggregate a live run sends (unknown paths,
     * buckets on non-dates, metrics that do not fit), all problems at once.
     */
    private void check(ReportDefinition d) {
        List<FieldError> errors = new ArrayList<>();
        try {
            NameRules.check(d.objectType(), "name", d.name());
        } catch (org.crmkit.error.SchemaException e) {
            errors.add(new FieldError("name", FieldErrorCode.INVALID_CHARACTER, "report names match "
                    + "[a-z][a-z0-9_]{0,39}"));
        }
        if (d.label().isBlank() || d.label().length() > 255) {
            errors.add(new FieldError("label", FieldErrorCode.OUT_OF_RANGE, "labels are 1 to 255 characters"));
        }
        if (d.groupings().size() > ReportDefinition.MAX_GROUPINGS) {
            errors.add(new FieldError("groupings", FieldErrorCode.OUT_OF_RANGE, "at most "
                    + ReportDefinition.MAX_GROUPINGS + " groupings"));
        }
        if (d.groupPaths().stream().distinct().count() != d.groupings().size()) {
            errors.add(new FieldError("groupings", FieldErrorCode.DUPLICATE, "a grouping is repeated"));
        }
        if (d.metrics().isEmpty() || d.metrics().size() > ReportDefinition.MAX_METRICS) {
            errors.add(new FieldError("metrics", FieldErrorCode.OUT_OF_RANGE, "1 to " + ReportDefinition.MAX_METRICS
                    + " metrics"));
        }
        if (d.fiscalYearStartMonth() < 1 || d.fiscalYearStartMonth() > 12) {
            errors.add(new FieldError("fiscalYearStartMonth", FieldErrorCode.OUT_OF_RANGE, "a month, 1 to 12"));
        }
        if (d.topN() < 0 || d.topN() > MAX_TOP) {
            errors.add(new FieldError("topN", FieldErrorCode.OUT_OF_RANGE, "0 (all) to " + MAX_TOP));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(d.objectType(), errors);
        }
        if (d.summarised()) {
            List<FieldError> problems = SummaryLayout.problems(d, session.engine.schema.compiled().snapshot);
            if (!problems.isEmpty()) {
                throw new ValidationException(d.objectType(), problems);
            }
            if (session.engine.summaries.store().isEmpty()) {
                throw new org.crmkit.error.UnsupportedFeatureException("SUMMARIES", "summarised reports need a "
                        + "storage that keeps summaries; " + session.engine.storage.name() + " does not");
            }
        }
        if (!session.engine.storage.capabilities().supports(StorageFeature.AGGREGATES)) {
            throw StorageFeature.AGGREGATES.refused();
        }
    }

    /** Checks every path of the definition as the caller sees the schema (a hidden field is unknown), running nothing. */
    private void checkPaths(ReportDefinition d) {
        session.records(d.objectType()).checkAggregate(new Aggregation(d.groupPaths(), d.metrics()), d.filter());
    }

    private ReportDefinition read(DocumentStore.StoredDocument d) {
        return json.readReport(java.util.Objects.requireNonNull(d.body(), "a live document"), d.version());
    }

    private static org.crmkit.error.CrmException notFound(String name) {
        return new org.crmkit.error.CrmException(org.crmkit.error.ErrorCode.NOT_FOUND, "no report named '"
                + NameRules.shown(name) + "'");
    }
}

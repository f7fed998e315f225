package org.crmkit.internal.service;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.UnsupportedFeatureException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.internal.export.SubjectJsonWriter;
import org.crmkit.privacy.Erasure;
import org.crmkit.privacy.Privacy;
import org.crmkit.privacy.Pruning;
import org.crmkit.privacy.Subject;
import org.crmkit.privacy.SubjectData;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.AdminPermission;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.PrivacyStore;
import org.jspecify.annotations.Nullable;

/**
 * {@link Privacy} for one session: checks the permission and the arguments, reads subjects as email and phone fields
 * read values, and hands the work to {@link SubjectFinder}, {@link SubjectErasure} and {@link RetentionPolicy}, each
 * in transactions of its own.
 */
final class SessionPrivacy implements Privacy {
    private static final String FEATURE = "PRIVACY";

    private final Session session;
    private final CrmEngine engine;

    SessionPrivacy(Session session) {
        this.session = session;
        this.engine = session.engine;
    }

    @Override
    public SubjectData find(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        check();
        SubjectFinder.Identifiers given = identifiers(subject);
        SubjectFinder.Found found = engine.transaction(tx -> new SubjectFinder(tx.storage,
                engine.schema.compiled().snapshot).find(given));
        SubjectRedaction redaction = new SubjectRedaction(SubjectErasure.values(engine.schema.compiled().snapshot,
                found, engine));
        Map<java.util.UUID, String> types = new java.util.LinkedHashMap<>();
        found.records().values().forEach(r -> types.put(r.id(), r.type()));
        List<ChangeLogEntry> history = types.isEmpty() ? List.of() : engine.storage.changesOf(types);
        List<ChangeLogEntry> mentions = new ArrayList<>();
        for (ChangeLogEntry e : SubjectErasure.mentions(engine, privacyStore().orElse(null), redaction)) {
            if (!types.containsKey(e.recordId())) {
                mentions.add(e);
            }
        }
        SubjectFinder.Identifiers ids = found.identifiers();
        return new SubjectData(new Subject(ids.emails(), ids.phones(), ids.recordIds()),
                List.<Record>copyOf(found.records().values()), found.cleared(), found.references(), history,
                mentions);
    }

    @Override
    public void export(Subject subject, Writer out) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(out, "out");
        SubjectJsonWriter.write(find(subject), engine.clock.instant(), out);
    }

    @Override
    public void export(Subject subject, OutputStream out) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(out, "out");
        export(subject, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    }

    @Override
    public Erasure erase(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        check();
        SubjectFinder.Identifiers given = identifiers(subject);
        return new SubjectErasure(engine, requirePrivacyStore("erasure"), requireDocuments("erasure"))
                .erase(given, session.principal());
    }

    @Override
    public List<Erasure> erasures() {
        check();
        requirePrivacyStore("the record of erasures");
        return new PrivacyDocuments().erasures(requireDocuments("the record of erasures"));
    }

    @Override
    public void retain(String objectType, @Nullable Duration maxAge) {
        Objects.requireNonNull(objectType, "objectType");
        check();
        if (engine.schema.compiled().snapshot.findObjectType(objectType).isEmpty()) {
            throw SchemaService.unknownType(objectType);
        }
        if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
            throw new ValidationException(objectType, new FieldError("maxAge", FieldErrorCode.OUT_OF_RANGE,
                    "a retention period must be positive, not " + maxAge));
        }
        retention("change-log retention").retain(objectType, maxAge, session.principal());
    }

    @Override
    public Map<String, Duration> retention() {
        check();
        return Map.copyOf(retention("change-log retention").retention());
    }

    @Override
    public Pruning prune() {
        check();
        return retention("change-log retention").prune(session.principal());
    }

    private RetentionPolicy retention(String what) {
        return new RetentionPolicy(engine, requirePrivacyStore(what), requireDocuments(what));
    }

    /** Refuses a caller without the permission, and a call inside a session's transaction. */
    private void check() {
        engine.checkOpen();
        if (!session.principal().may(AdminPermission.MANAGE_PRIVACY)) {
            throw new AccessDeniedException(session.principal().id(), "*", "find, export or erase personal data or "
                    + "change retention (needs the " + AdminPermission.MANAGE_PRIVACY + " permission)");
        }
        if (session.bound()) {
            throw new CrmException(ErrorCode.CONFIGURATION, "privacy operations run in transactions of their own; "
                    + "call them outside inTransaction");
        }
    }

    /** The subject's emails and phones as the fields store them; a bad one names {@code email} or {@code phone}. */
    private SubjectFinder.Identifiers identifiers(Subject subject) {
        if (subject.isEmpty()) {
            throw new ValidationException("subject", new FieldError("subject", FieldErrorCode.REQUIRED,
                    "a subject needs an email, a phone or a record id"));
        }
        List<FieldError> errors = new ArrayList<>();
        Set<String> emails = normalised(Field.email("email"), subject.emails(), errors);
        Set<String> phones = normalised(Field.phone("phone"), subject.phones(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException("subject", errors);
        }
        return new SubjectFinder.Identifiers(emails, phones, subject.recordIds());
    }

    private Set<String> normalised(Field field, Set<String> values, List<FieldError> errors) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            Object converted = engine.converter.convert(field, v, errors);
            if (converted instanceof String s) {
                out.add(s);
            } else if (converted == null && errors.stream().noneMatch(e -> e.field().equals(field.name()))) {
                errors.add(new FieldError(field.name(), FieldErrorCode.REQUIRED, "an empty " + field.name()
                        + " names nobody"));
            }
        }
        return out;
    }

    private java.util.Optional<PrivacyStore> privacyStore() {
        return engine.storage.extension(PrivacyStore.class);
    }

    private PrivacyStore requirePrivacyStore(String what) {
        return privacyStore().orElseThrow(() -> refused(what));
    }

    private DocumentStore requireDocuments(String what) {
        return engine.storage.extension(DocumentStore.class).orElseThrow(() -> refused(what));
    }

    private UnsupportedFeatureException refused(String what) {
        return new UnsupportedFeatureException(FEATURE, what + " needs a storage that keeps the privacy extension "
                + "and documents; " + engine.storage.name() + " does not");
    }
}

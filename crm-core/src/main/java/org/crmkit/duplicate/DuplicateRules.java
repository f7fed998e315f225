package org.crmkit.duplicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The matching rules of one object type: the fields compared and how, the score from which two records count as
 * duplicates, and what writes do about them. Stored with the schema ({@link org.crmkit.schema.Schema#setDuplicateRules})
 * so that they are versioned, persisted and audited like every schema change.
 *
 * <p>Scoring: for two records, each rule field holding a value on both sides is compared with its method; the score
 * is the weighted mean of those similarities (fields empty on either side do not count). Two records are duplicates
 * when the score reaches {@link #threshold()} and the fields compared weigh at least {@link #minimumWeight()} (so that
 * one matching first name alone proves nothing).
 *
 * <pre>{@code
 * crm.schema().setDuplicateRules("contact", DuplicateRules.builder()
 *         .field("last_name", MatchMethod.FUZZY_NAME, 3)
 *         .field("email", MatchMethod.EMAIL, 4)
 *         .threshold(0.8).mode(DuplicateMode.BLOCK).build());
 * }</pre>
 *
 * @param fields        the fields compared, at least one, each at most once
 * @param threshold     from 0 (exclusive) to 1: the score from which records are duplicates
 * @param minimumWeight the weight the compared fields must reach together (0 or more)
 * @param mode          what creates and updates do about duplicates
 */
public record DuplicateRules(List<FieldMatch> fields, double threshold, double minimumWeight, DuplicateMode mode) {
    /** The default {@link #threshold()}. */
    public static final double DEFAULT_THRESHOLD = 0.8;

    public DuplicateRules {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(mode, "mode");
        fields = List.copyOf(fields);
    }

    /** A builder: no fields yet, threshold {@value #DEFAULT_THRESHOLD}, minimum weight 0, mode OFF. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy in another mode. */
    public DuplicateRules mode(DuplicateMode newMode) {
        return new DuplicateRules(fields, threshold, minimumWeight, newMode);
    }

    /** The rule field for {@code field}, if any. */
    public java.util.Optional<FieldMatch> findField(String field) {
        return fields.stream().filter(f -> f.field().equals(field)).findFirst();
    }

    /** Builds {@link DuplicateRules}; checked against the type when saved. */
    public static final class Builder {
        private final List<FieldMatch> fields = new ArrayList<>();
        private double threshold = DEFAULT_THRESHOLD;
        private double minimumWeight;
        private DuplicateMode mode = DuplicateMode.OFF;

        private Builder() {}

        /** Compares {@code field} with {@code method}, counting {@code weight}. */
        public Builder field(String field, MatchMethod method, double weight) {
            fields.add(new FieldMatch(field, method, weight));
            return this;
        }

        public Builder threshold(double value) {
            this.threshold = value;
            return this;
        }

        public Builder minimumWeight(double value) {
            this.minimumWeight = value;
            return this;
        }

        public Builder mode(DuplicateMode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        public DuplicateRules build() {
            return new DuplicateRules(fields, threshold, minimumWeight, mode);
        }
    }
}

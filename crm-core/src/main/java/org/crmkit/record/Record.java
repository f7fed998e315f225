package org.crmkit.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One CRM record, as a caller may see it: an immutable value. {@link #values()} holds the fields that have a
 * value and that the caller may read; typed getters return null for an empty field and throw
 * {@link ClassCastException} only on a programming error (asking for a date from a text field).
 *
 * @param id        UUIDv7, time-ordered
 * @param type      the object type's API name
 * @param version   starts at 1, raised by every write
 * @param owner     the owning user's id
 * @param team      the owning team, or null
 * @param createdAt when created
 * @param createdBy who created it
 * @param updatedAt when last written
 * @param updatedBy who last wrote it
 * @param deletedAt when soft-deleted, or null for a live record
 * @param values    field values by API name; no null values
 */
public record Record(UUID id, String type, long version, String owner, @Nullable String team, Instant createdAt,
        String createdBy, Instant updatedAt, String updatedBy, @Nullable Instant deletedAt,
        Map<String, Object> values) {

    public Record {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        values = Map.copyOf(values);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** The value of a field, or null. */
    public @Nullable Object get(String field) {
        return values.get(field);
    }

    public <T> Optional<T> find(String field, Class<T> type) {
        return Optional.ofNullable(values.get(field)).map(type::cast);
    }

    public boolean has(String field) {
        return values.containsKey(field);
    }

    public @Nullable String getString(String field) {
        return (String) values.get(field);
    }

    public @Nullable Long getLong(String field) {
        return (Long) values.get(field);
    }

    public @Nullable BigDecimal getDecimal(String field) {
        return (BigDecimal) values.get(field);
    }

    public @Nullable Money getMoney(String field) {
        return (Money) values.get(field);
    }

    public @Nullable Boolean getBoolean(String field) {
        return (Boolean) values.get(field);
    }

    public @Nullable LocalDate getDate(String field) {
        return (LocalDate) values.get(field);
    }

    public @Nullable Instant getInstant(String field) {
        return (Instant) values.get(field);
    }

    /** A reference's target id. */
    public @Nullable UUID getReference(String field) {
        return (UUID) values.get(field);
    }

    public @Nullable Address getAddress(String field) {
        return (Address) values.get(field);
    }

    /** A multi-picklist's values or a relation's ids; empty when the field is empty. */
    @SuppressWarnings("unchecked")
    public <T> List<T> getList(String field) {
        Object v = values.get(field);
        return v == null ? List.of() : (List<T>) v;
    }

    @Override
    public String toString() {
        return type + " " + id + " v" + version + " " + values;
    }
}

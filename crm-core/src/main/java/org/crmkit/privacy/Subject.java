package org.crmkit.privacy;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The person a privacy request is about, named by email addresses, phone numbers and record ids, in any
 * combination ({@code Subject.email("ada@example.com").andPhone("+44 20 7946 0958")}). Emails and phones are given
 * as typed; {@link Privacy} reads them as email and phone fields read values (an email in its normal form and
 * compared without regard to case, a phone in E.164 in the engine's default region), so a bad one is a
 * {@link org.crmkit.error.ValidationException} naming {@code email} or {@code phone}.
 *
 * @param emails    email addresses, as typed
 * @param phones    phone numbers, as typed
 * @param recordIds ids of records that are about the person (a contact, a lead), of any type
 */
public record Subject(Set<String> emails, Set<String> phones, Set<UUID> recordIds) {
    public Subject {
        Objects.requireNonNull(emails, "emails");
        Objects.requireNonNull(phones, "phones");
        Objects.requireNonNull(recordIds, "recordIds");
        emails = Set.copyOf(emails);
        phones = Set.copyOf(phones);
        recordIds = Set.copyOf(recordIds);
    }

    /** A subject named by one email address. */
    public static Subject email(String email) {
        Objects.requireNonNull(email, "email");
        return new Subject(Set.of(email), Set.of(), Set.of());
    }

    /** A subject named by one phone number. */
    public static Subject phone(String phone) {
        Objects.requireNonNull(phone, "phone");
        return new Subject(Set.of(), Set.of(phone), Set.of());
    }

    /** A subject named by the id of a record about them. */
    public static Subject record(UUID recordId) {
        Objects.requireNonNull(recordId, "recordId");
        return new Subject(Set.of(), Set.of(), Set.of(recordId));
    }

    /** This subject, also named by {@code email}. */
    public Subject andEmail(String email) {
        Objects.requireNonNull(email, "email");
        return new Subject(plus(emails, email), phones, recordIds);
    }

    /** This subject, also named by {@code phone}. */
    public Subject andPhone(String phone) {
        Objects.requireNonNull(phone, "phone");
        return new Subject(emails, plus(phones, phone), recordIds);
    }

    /** This subject, also named by the record {@code recordId}. */
    public Subject andRecord(UUID recordId) {
        Objects.requireNonNull(recordId, "recordId");
        return new Subject(emails, phones, plus(recordIds, recordId));
    }

    /** Whether nothing names the subject. */
    public boolean isEmpty() {
        return emails.isEmpty() && phones.isEmpty() && recordIds.isEmpty();
    }

    private static <T> Set<T> plus(Set<T> set, T value) {
        Set<T> out = new LinkedHashSet<>(set);
        out.add(value);
        return out;
    }
}

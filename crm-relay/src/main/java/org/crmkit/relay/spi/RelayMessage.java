package org.crmkit.relay.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.event.Operation;

/**
 * One change-log entry as the relay publishes it: the entry's JSON {@code body} and what a broker needs to address it.
 * {@link #messageId()} (the change-log sequence) is the same every time the entry is published, so consumers drop
 * duplicates by it; {@link #key()} (the record id) keeps each record's changes in one ordered lane (a partition, a
 * routing key, a subject).
 *
 * @param sequence   the entry's change-log sequence
 * @param objectType the record's type
 * @param recordId   the record
 * @param operation  what the change did
 * @param body       the entry as UTF-8 JSON (see {@code docs/relay.md})
 */
public record RelayMessage(long sequence, String objectType, UUID recordId, Operation operation, byte[] body) {
    public RelayMessage {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(operation, "operation");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** The message id: the change-log sequence in decimal. */
    public String messageId() {
        return Long.toString(sequence);
    }

    /** The ordering key: the record id. */
    public String key() {
        return recordId.toString();
    }

    /** A copy of the JSON body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayMessage m && m.sequence == sequence && m.objectType.equals(objectType)
                && m.recordId.equals(recordId) && m.operation == operation && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, objectType, recordId, operation, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "RelayMessage[" + sequence + " " + objectType + "/" + recordId + " " + operation + "]";
    }
}

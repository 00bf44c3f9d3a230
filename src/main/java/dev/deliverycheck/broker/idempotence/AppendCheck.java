package dev.deliverycheck.broker.idempotence;

import dev.deliverycheck.protocol.Errors;

/** The verdict of {@link ProducerStateTable#check} on a batch before it is appended. */
public sealed interface AppendCheck {

    /** Append the batch. */
    record Accept() implements AppendCheck {
    }

    /** The batch is a retry of one already in the log: write nothing, answer with the original offsets. */
    record Duplicate(BatchMetadata original) implements AppendCheck {
    }

    /** Refuse the batch with a Kafka error. */
    record Reject(Errors error, String message) implements AppendCheck {
    }

    AppendCheck ACCEPT = new Accept();
}

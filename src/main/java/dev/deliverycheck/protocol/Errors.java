package dev.deliverycheck.protocol;

/**
 * Error codes carried in responses. Names and numeric codes are Apache Kafka's, so a reader
 * can look each one up in Kafka's protocol documentation.
 */
public enum Errors {
    NONE(0, false),
    UNKNOWN_SERVER_ERROR(-1, false),
    CORRUPT_MESSAGE(2, true),
    UNKNOWN_TOPIC_OR_PARTITION(3, true),
    NOT_LEADER_OR_FOLLOWER(6, true),
    REQUEST_TIMED_OUT(7, true),
    MESSAGE_TOO_LARGE(10, false),
    NETWORK_EXCEPTION(13, true),
    COORDINATOR_LOAD_IN_PROGRESS(14, true),
    COORDINATOR_NOT_AVAILABLE(15, true),
    NOT_COORDINATOR(16, true),
    RECORD_LIST_TOO_LARGE(18, false),
    NOT_ENOUGH_REPLICAS(19, true),
    INVALID_REQUIRED_ACKS(21, false),
    CLUSTER_AUTHORIZATION_FAILED(31, false),
    UNSUPPORTED_VERSION(35, false),
    INVALID_REQUEST(42, false),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false),
    DUPLICATE_SEQUENCE_NUMBER(46, false),
    INVALID_PRODUCER_EPOCH(47, false),
    INVALID_TXN_STATE(48, false),
    INVALID_PRODUCER_ID_MAPPING(49, false),
    INVALID_TRANSACTION_TIMEOUT(50, false),
    CONCURRENT_TRANSACTIONS(51, true),
    TRANSACTION_COORDINATOR_FENCED(52, false),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, false),
    UNKNOWN_PRODUCER_ID(59, false),
    PRODUCER_FENCED(90, false),
    TRANSACTION_ABORTABLE(120, false);

    private final int code;
    private final boolean retriable;

    Errors(int code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    public int code() {
        return code;
    }

    /**
     * Whether Kafka classifies the error as retriable (the client may resend as is): its exception
     * is a {@code RetriableException}. OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are not
     * (Kafka's {@code OutOfOrderSequenceException} and {@code UnknownProducerIdException}): whether
     * such a batch is retried is the transaction manager's decision ({@code canRetry}).
     */
    public boolean retriable() {
        return retriable;
    }
}

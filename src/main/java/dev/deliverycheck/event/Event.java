package dev.deliverycheck.event;

/**
 * One entry of a run's history. The record type's simple name is the event's name in DESIGN.md's
 * vocabulary, the TLA+ action name and the trace record name: actor first, UpperCamel.
 * Events carry the arguments the checkers and the trace specs need; they never carry time,
 * so histories of the same seed compare equal.
 */
public sealed interface Event permits
        ProducerSend, ProducerSendBatch, ProducerRetry, ProducerSendAcked,
        ProducerSendFailed, ProducerInitProducerId, ProducerBumpEpoch, ProducerBeginTxn,
        ProducerAddPartitions, ProducerEndTxn, ProducerEndTxnResult, ProducerFenced,
        ProducerRestart, BrokerAppend, BrokerDuplicate, BrokerReject,
        BrokerFlush, BrokerAck, BrokerCrash, BrokerRestart,
        BrokerRecoverPartition, BrokerVerifyPartition, CoordinatorInitProducerId, CoordinatorAddPartitions,
        CoordinatorPrepare, CoordinatorWriteMarker, CoordinatorComplete, CoordinatorTimeoutAbort,
        CoordinatorFence, NetworkDeliver, NetworkLoseRequest, NetworkLoseResponse,
        ConsumerFetch {

    /** The event's name in the shared vocabulary. */
    default String name() {
        return getClass().getSimpleName();
    }
}

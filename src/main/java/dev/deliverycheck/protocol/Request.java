package dev.deliverycheck.protocol;

/** A request. Every request kind is one record below; a node answers with the matching response. */
public sealed interface Request extends Message
        permits ProduceRequest, FetchRequest, InitProducerIdRequest, AddPartitionsToTxnRequest,
                EndTxnRequest, WriteTxnMarkersRequest {
}

package dev.deliverycheck.protocol;

/** A response; carries the correlation id of its request. */
public sealed interface Response extends Message
        permits ProduceResponse, FetchResponse, InitProducerIdResponse, AddPartitionsToTxnResponse,
                EndTxnResponse, WriteTxnMarkersResponse {
}

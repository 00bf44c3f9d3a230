package dev.deliverycheck.wire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;

/**
 * The client's translation of the transaction flow: which request versions each {@code transaction.version} speaks,
 * how the finalized feature is read from ApiVersions, and that an EndTxn v5 answer hands the producer the producer
 * id and epoch it names (a new producer id on epoch exhaustion included), which the producer's TransactionManager
 * then adopts as in-process.
 */
class ClientCodecTest {
    private static final ClientCodec.Versions V1 = ClientCodec.Versions.TRANSACTION_V1;
    private static final ClientCodec.Versions V2 = ClientCodec.Versions.TRANSACTION_V2;

    @Test
    void eachTransactionVersionHasItsRequestVersions() {
        assertThat(V1).isEqualTo(new ClientCodec.Versions(1, (short) 11, (short) 4));
        assertThat(V1.sendsAddPartitions()).isTrue();
        assertThat(V2).isEqualTo(new ClientCodec.Versions(2, (short) 12, (short) 5));
        assertThat(V2.sendsAddPartitions()).isFalse();
        assertThat(ClientCodec.Versions.forFinalizedLevel(0)).isSameAs(V1);
        assertThat(ClientCodec.Versions.forFinalizedLevel(1)).isSameAs(V1);
        assertThat(ClientCodec.Versions.forFinalizedLevel(2)).isSameAs(V2);
        assertThat(ClientCodec.Versions.forFinalizedLevel(3)).isSameAs(V2);
    }

    @Test
    void theFinalizedTransactionVersionCountsOnlyWithAValidFeaturesEpoch() {
        assertThat(KafkaBootstrap.finalizedTransactionVersion(new ApiVersionsResponseData())).isZero();
        assertThat(KafkaBootstrap.finalizedTransactionVersion(finalized(2, 1))).isEqualTo(2);
        assertThat(KafkaBootstrap.finalizedTransactionVersion(finalized(1, 0))).isEqualTo(1);
        // Kafka's client ignores finalized features whose epoch is -1 (unknown)
        assertThat(KafkaBootstrap.finalizedTransactionVersion(finalized(2, -1))).isZero();
        ApiVersionsResponseData other = new ApiVersionsResponseData().setFinalizedFeaturesEpoch(3);
        other.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey().setName("metadata.version")
                .setMinVersionLevel((short) 1).setMaxVersionLevel((short) 27));
        assertThat(KafkaBootstrap.finalizedTransactionVersion(other)).isZero();
    }

    private static ApiVersionsResponseData finalized(int level, long epoch) {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setFinalizedFeaturesEpoch(epoch);
        data.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey()
                .setName(KafkaBootstrap.TRANSACTION_VERSION_FEATURE).setMinVersionLevel((short) level)
                .setMaxVersionLevel((short) level));
        return data;
    }

    @Test
    void theVersion2FlowSendsNoAddPartitionsToTxn() {
        AddPartitionsToTxnRequest add = new AddPartitionsToTxnRequest(3, "tx", 7, (short) 1,
                List.of(new TopicPartition("t", 0)), false);
        ClientCodec.Encoded v1 = ClientCodec.encode(add, "c", V1);
        assertThat(v1.apiKey()).isEqualTo(ApiKeys.ADD_PARTITIONS_TO_TXN);
        assertThat(v1.version()).isEqualTo((short) 3);
        assertThatThrownBy(() -> ClientCodec.encode(add, "c", V2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndTxnV5AnswerHandsTheProducerTheNewProducerIdAndEpoch() {
        ClientCodec.Encoded request = ClientCodec.encode(new EndTxnRequest(9, "tx", 7, (short) (Short.MAX_VALUE - 1), true), "c", V2);
        assertThat(request.apiKey()).isEqualTo(ApiKeys.END_TXN);
        assertThat(request.version()).isEqualTo((short) 5);
        // epoch exhausted: the coordinator continues the transactional id as producer id 8 at epoch 0
        EndTxnResponse answer = (EndTxnResponse) ClientCodec.decode(request, body(new EndTxnResponseData()
                .setProducerId(8).setProducerEpoch((short) 0), (short) 5));
        assertThat(answer).isEqualTo(new EndTxnResponse(9, Errors.NONE, 8, (short) 0));
        assertThat(answer.hasNewProducerIdAndEpoch()).isTrue();
        EndTxnResponse bumped = (EndTxnResponse) ClientCodec.decode(request, body(new EndTxnResponseData()
                .setProducerId(7).setProducerEpoch((short) 4), (short) 5));
        assertThat(bumped).isEqualTo(new EndTxnResponse(9, Errors.NONE, 7, (short) 4));
    }

    @Test
    void anEndTxnV4AnswerCarriesNoNewEpoch() {
        ClientCodec.Encoded request = ClientCodec.encode(new EndTxnRequest(9, "tx", 7, (short) 3, false), "c", V1);
        assertThat(request.version()).isEqualTo((short) 4);
        EndTxnResponse answer = (EndTxnResponse) ClientCodec.decode(request, body(new EndTxnResponseData(), (short) 4));
        assertThat(answer).isEqualTo(new EndTxnResponse(9, Errors.NONE));
        assertThat(answer.hasNewProducerIdAndEpoch()).isFalse();
    }

    private static ByteBuffer body(EndTxnResponseData data, short version) {
        return MessageUtil.toByteBufferAccessor(data, version).buffer();
    }
}

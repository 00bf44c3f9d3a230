package dev.deliverycheck.wire.observe;

import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.wire.proxy.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;

/**
 * The proxy's view of the broker's answers, turned into history: InitProducerId answers become
 * CoordinatorInitProducerId, EndTxn answers CoordinatorPrepare (the decision was written: the coordinator
 * answers after PrepareCommit/PrepareAbort) plus a place for the markers, AddPartitionsToTxn answers (versions
 * 0-3; Kafka 4.4 clients skip it under transaction.version 2) CoordinatorAddPartitions, and Produce answers a
 * place for the append. Only answers without error count: an error answer changed nothing.
 * Broker id 0 names the one broker behind the proxy.
 */
public final class CoordinatorObserver implements Consumer<Exchange> {
    private static final int BROKER = 0;

    private final Timeline timeline;
    /** Produce v13 names topics by id; Metadata answers, which always come first, give the names. */
    private final Map<Uuid, String> topicNames = new ConcurrentHashMap<>();

    public CoordinatorObserver(Timeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public void accept(Exchange exchange) {
        ApiKeys key = exchange.header().apiKey();
        short version = exchange.header().version();
        switch (key) {
            case METADATA -> {
                MetadataResponseData metadata = new MetadataResponseData(new ByteBufferAccessor(exchange.responseBody()), version);
                metadata.topics().forEach(t -> {
                    if (t.name() != null && t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId())) {
                        topicNames.put(t.topicId(), t.name());
                    }
                });
            }
            case INIT_PRODUCER_ID -> {
                InitProducerIdRequestData request = new InitProducerIdRequestData(new ByteBufferAccessor(exchange.requestBody()), version);
                InitProducerIdResponseData answer = new InitProducerIdResponseData(new ByteBufferAccessor(exchange.responseBody()), version);
                if (answer.errorCode() == Errors.NONE.code()) {
                    // CoordinatorInitProducerId
                    timeline.add(new CoordinatorInitProducerId(BROKER, request.transactionalId(), answer.producerId(),
                            answer.producerEpoch()));
                }
            }
            case END_TXN -> {
                EndTxnRequestData request = new EndTxnRequestData(new ByteBufferAccessor(exchange.requestBody()), version);
                EndTxnResponseData answer = new EndTxnResponseData(new ByteBufferAccessor(exchange.responseBody()), version);
                if (answer.errorCode() == Errors.NONE.code()) {
                    // CoordinatorPrepare
                    timeline.add(new CoordinatorPrepare(BROKER, request.transactionalId(), request.producerId(),
                            request.producerEpoch(), request.committed()));
                    short answerEpoch = version >= 5 ? answer.producerEpoch() : request.producerEpoch();
                    timeline.add(new Timeline.EndTxnAnswered(request.producerId(), request.producerEpoch(), answerEpoch,
                            request.committed()));
                }
            }
            case ADD_PARTITIONS_TO_TXN -> {
                if (version <= 3) {
                    addPartitions(exchange, version);
                }
            }
            case PRODUCE -> {
                ProduceResponseData answer = new ProduceResponseData(new ByteBufferAccessor(exchange.responseBody()), version);
                for (ProduceResponseData.TopicProduceResponse topic : answer.responses()) {
                    String name = topic.name() != null && !topic.name().isEmpty() ? topic.name() : topicNames.get(topic.topicId());
                    if (name == null) {
                        continue;
                    }
                    for (ProduceResponseData.PartitionProduceResponse p : topic.partitionResponses()) {
                        if (p.errorCode() == Errors.NONE.code() && p.baseOffset() >= 0) {
                            timeline.add(new Timeline.ProduceAnswered(new TopicPartition(name, p.index()), p.baseOffset()));
                        }
                    }
                }
            }
            default -> {
                // other kinds carry nothing the checkers read
            }
        }
    }

    private void addPartitions(Exchange exchange, short version) {
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData(new ByteBufferAccessor(exchange.requestBody()), version);
        AddPartitionsToTxnResponseData answer = new AddPartitionsToTxnResponseData(new ByteBufferAccessor(exchange.responseBody()), version);
        List<TopicPartition> added = new ArrayList<>();
        answer.resultsByTopicV3AndBelow().forEach(t -> t.resultsByPartition().forEach(p -> {
            if (p.partitionErrorCode() == Errors.NONE.code()) {
                added.add(new TopicPartition(t.name(), p.partitionIndex()));
            }
        }));
        if (!added.isEmpty()) {
            // CoordinatorAddPartitions
            timeline.add(new CoordinatorAddPartitions(BROKER, request.v3AndBelowTransactionalId(),
                    request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch(), added));
        }
    }
}

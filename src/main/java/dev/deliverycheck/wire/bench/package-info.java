/**
 * The real Kafka client's side of the benchmarks: Produce requests of a controlled shape sent with
 * kafka-clients' own request and record-batch classes ({@link dev.deliverycheck.wire.bench.ProduceProbe}),
 * and the real {@code KafkaProducer} paced at a constant rate with a chosen partitioner
 * ({@link dev.deliverycheck.wire.bench.PacedKafkaProducerRun}), against a real Apache Kafka 4.4 broker child
 * process or deliverycheck's wire broker ({@link dev.deliverycheck.wire.bench.BrokerUnderTest}).
 *
 * <p>kafka-clients stays inside {@code wire}: the results are plain records, so {@code bench} (which fits
 * the cost model and compares predictions with these measurements) never sees an {@code org.apache.kafka} type.
 */
package dev.deliverycheck.wire.bench;

/**
 * The Kafka wire protocol in front of the project's {@code Broker}: the only package that imports
 * {@code org.apache.kafka} (an ArchUnit rule). {@link dev.deliverycheck.wire.KafkaCodec} owns the
 * framing and the record-batch classes of kafka-clients; the handlers translate Kafka's generated
 * request/response messages to and from the project's {@code protocol} records; the broker logic
 * stays in {@code broker}.
 */
package dev.deliverycheck.wire;

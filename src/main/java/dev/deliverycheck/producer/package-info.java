/**
 * A Kafka-style producer: serializer → partitioner → record accumulator → sender, with the
 * idempotent and transactional machinery of Kafka's client.
 *
 * <p>The deterministic core is {@link dev.deliverycheck.producer.ProducerNode}: a
 * {@link dev.deliverycheck.env.Node} that never blocks and sees time, randomness and the network
 * only through the {@code env} interfaces, so a simulation can drive it step by step from a seed.
 * {@code local.KafkaStyleProducer} runs the same node for real, with a
 * background I/O thread and the system clock, behind the blocking {@link dev.deliverycheck.producer.Producer} API.
 *
 * <p>Sub-packages: {@code partitioner} (one class per partitioning strategy), {@code internals}
 * (accumulator, buffer pool, sender, transaction manager) and {@code errors} (the exceptions a
 * send or a transactional call can fail with).
 */
package dev.deliverycheck.producer;

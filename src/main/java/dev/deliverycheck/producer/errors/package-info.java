/**
 * The exceptions a send future, a callback or a transactional call fails with. Each names the
 * cause plainly (which setting ran out, which broker error arrived), because the simulation
 * records the message in {@code ProducerSendFailed} and a reader of a failing run starts there.
 */
package dev.deliverycheck.producer.errors;

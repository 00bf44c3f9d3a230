/**
 * The environment as producer and broker see it: time ({@link dev.deliverycheck.env.Clock}),
 * randomness ({@link dev.deliverycheck.env.RandomSource}), the network
 * ({@link dev.deliverycheck.env.Transport}) and the event log ({@link dev.deliverycheck.env.EventSink}).
 *
 * <p>Producer and broker state machines touch the outside world only through these, which is
 * what lets the simulation run them deterministically from a seed, and run them for real with
 * a system clock and an in-process transport. Imports only {@code protocol} and {@code event}.
 */
package dev.deliverycheck.env;

/**
 * The real-time cluster: the real broker and producer code running for real in one JVM (system
 * clock, threads, in-process queues instead of sockets). Used by the real-time benchmarks and by
 * tests that need the producer's I/O thread against a live broker.
 *
 * <p>Depends on {@code broker}, {@code producer}, {@code protocol}, {@code env} and the simulated
 * disk of {@code sim} (as in-memory storage); nothing in producer or broker depends on it.
 */
package dev.deliverycheck.local;

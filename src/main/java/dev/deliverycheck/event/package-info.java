/**
 * The event vocabulary shared by the Java code, the TLA+ specs and the trace files: one record
 * type per event name under the sealed {@link dev.deliverycheck.event.Event}. Producer, broker and
 * simulation emit these; the checkers read only these. Imports only {@code protocol}.
 */
package dev.deliverycheck.event;

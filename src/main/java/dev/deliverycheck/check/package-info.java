/**
 * The judge of a run: its {@link dev.deliverycheck.check.History} of events and one checker per
 * invariant of DESIGN.md, each answering with a {@link dev.deliverycheck.check.Verdict} that
 * names the invariant by its TLA+ operator name and the offending record ids.
 *
 * <p>This package reads only the event vocabulary ({@code event}) and protocol value types; it
 * never looks into producer or broker, so the same checkers judge any system that produces a
 * history. A reader's view of a partition is the last {@code ConsumerFetch} of that partition
 * at that isolation level; whoever wants a verdict emits fresh fetches first.
 *
 * <p>Indeterminate outcomes (a failed send, a lost ACK, a commit whose answer was lost) are
 * judged as Jepsen does: every explanation is allowed, the checkers never guess.
 */
package dev.deliverycheck.check;

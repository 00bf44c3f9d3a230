package dev.deliverycheck.report;

import java.util.List;

/**
 * A sequence diagram before it is drawn: named lanes, left to right, and items, top to bottom,
 * one row each. Both the explorer's Java runs and TLC's counterexamples become this, with the
 * same lane names and the same event names, so the two kinds of evidence read alike.
 * Every lane an item names is one of the lanes.
 */
public record Diagram(String title, List<String> lanes, List<Item> items) {
    public Diagram {
        lanes = List.copyOf(lanes);
        items = List.copyOf(items);
        for (Item item : items) {
            for (String lane : lanesOf(item)) {
                if (!lanes.contains(lane)) {
                    throw new IllegalArgumentException("no lane '" + lane + "' in " + lanes + " for " + item);
                }
            }
        }
    }

    private static List<String> lanesOf(Item item) {
        if (item instanceof Arrow a) {
            return List.of(a.from(), a.to());
        } else if (item instanceof Note n) {
            return List.of(n.lane());
        } else if (item instanceof Bar b) {
            return List.of(b.lane());
        }
        return List.of();
    }

    /** One row of the diagram. */
    public sealed interface Item permits Arrow, Note, Bar, Divider, Banner {
    }

    /**
     * A message from one lane to another. A lost one ends in a cross before it reaches {@code to}.
     * {@code highlighted} marks a message that carries an offending record.
     */
    public record Arrow(String from, String to, String label, boolean lost, boolean highlighted) implements Item {
    }

    /** Something that happened on one lane (an append, an ack written, a fetch, a marker). */
    public record Note(String lane, String label, boolean highlighted, boolean marker) implements Item {
    }

    /** A crash ({@code crash}) or a restart bar across one lane. */
    public record Bar(String lane, String label, boolean crash) implements Item {
    }

    /** A horizontal rule across every lane that starts a schedule step (or a TLA+ state). */
    public record Divider(String label) implements Item {
    }

    /** The invariant that broke, named at the row where it broke. */
    public record Banner(String label) implements Item {
    }

    public int index(String lane) {
        return lanes.indexOf(lane);
    }
}

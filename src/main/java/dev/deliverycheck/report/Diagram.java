package dev.deliverycheck.report;

import java.util.List;

/**
 * A sequence diagram before it is drawn: named lanes, left to right, and items, top to bottom,
 * one row each. Both the explorer's Java runs and TLC's counterexamples become this, with the
 * same lane names and the same event names, so the two kinds of evidence read alike.
 */
public record Diagram(String title, List<String> lanes, List<Item> items) {
    public Diagram {
        lanes = List.copyOf(lanes);
        items = List.copyOf(items);
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

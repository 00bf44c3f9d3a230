package dev.deliverycheck.protocol;

/** The kind of a control batch: a transaction marker written by {@code CoordinatorWriteMarker}. */
public enum ControlType {
    COMMIT,
    ABORT
}

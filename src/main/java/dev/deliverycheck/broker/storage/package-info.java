/**
 * The broker's disk: {@link dev.deliverycheck.broker.storage.Storage} (named append-only files with
 * explicit flush) and {@link dev.deliverycheck.broker.storage.FileStorage}, the only class of the
 * broker that touches real files. The simulation's implementation is
 * {@code dev.deliverycheck.sim.SimulatedDisk}.
 */
package dev.deliverycheck.broker.storage;

package dev.deliverycheck.env;

/** Milliseconds since an arbitrary origin; virtual in the simulation, wall-clock for real. */
@FunctionalInterface
public interface Clock {
    long milliseconds();
}

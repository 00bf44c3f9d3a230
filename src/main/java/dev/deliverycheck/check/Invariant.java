package dev.deliverycheck.check;

/**
 * The invariants of DESIGN.md. Each constant's {@link #tlaName()} is, character for character,
 * the name of the TLA+ operator that states it, so a Java verdict and a TLC result can be put
 * side by side.
 */
public enum Invariant {
    NO_DUPLICATE("NoDuplicate", false, false),
    NO_LOSS("NoLoss", false, true),
    ACKED_DURABLE("AckedDurable", false, false),
    PARTITION_ORDER("PartitionOrder", false, false),
    ATOMIC_COMMIT("AtomicCommit", true, false),
    ZOMBIE_FENCED("ZombieFenced", true, false);

    private final String tlaName;
    private final boolean transactionalOnly;
    private final boolean settledOnly;

    Invariant(String tlaName, boolean transactionalOnly, boolean settledOnly) {
        this.tlaName = tlaName;
        this.transactionalOnly = transactionalOnly;
        this.settledOnly = settledOnly;
    }

    /** The TLA+ operator name, also the name used in JSON output and reports. */
    public String tlaName() {
        return tlaName;
    }

    /** Whether the invariant only means something for transactional (exactly-once) runs. */
    public boolean transactionalOnly() {
        return transactionalOnly;
    }

    /**
     * Whether the invariant may only be judged once the run settled (faults stopped, producers
     * flushed, transactions decided): judged mid-run it would count records still in flight as lost.
     */
    public boolean settledOnly() {
        return settledOnly;
    }

    /** A fresh checker for this invariant. */
    public InvariantChecker checker() {
        return switch (this) {
            case NO_DUPLICATE -> new NoDuplicateChecker();
            case NO_LOSS -> new NoLossChecker();
            case ACKED_DURABLE -> new AckedDurableChecker();
            case PARTITION_ORDER -> new PartitionOrderChecker();
            case ATOMIC_COMMIT -> new AtomicCommitChecker();
            case ZOMBIE_FENCED -> new ZombieFencedChecker();
        };
    }

    /** The invariant whose TLA+ operator is {@code name}; throws naming the known names otherwise. */
    public static Invariant fromTlaName(String name) {
        for (Invariant invariant : values()) {
            if (invariant.tlaName.equals(name)) {
                return invariant;
            }
        }
        throw new IllegalArgumentException("unknown invariant '" + name + "', expected one of " + tlaNames());
    }

    private static String tlaNames() {
        StringBuilder names = new StringBuilder();
        for (Invariant invariant : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(invariant.tlaName);
        }
        return names.toString();
    }
}

package dev.deliverycheck.wire;

import dev.deliverycheck.broker.BrokerConfig;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The known-bad broker variants of the model tests, by name, so a user can watch a real client's
 * data break against a broken broker. Each switches off one protection of the production broker.
 */
public enum BrokerVariant {
    /** Producer state is forgotten on restart: retries after a restart are appended again. */
    NO_RECOVERY("no-recovery"),
    /** One batch remembered per producer: a retry of an older in-flight batch is not recognised. */
    WINDOW_1("window-1"),
    /** Older producer epochs are accepted: a fenced (zombie) producer can still write and commit. */
    NO_FENCING("no-fencing"),
    /** No KIP-890 check at the leader: a late transactional produce can join the wrong transaction. */
    NO_KIP890("no-kip890");

    private final String cliName;

    BrokerVariant(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** {@code base} with this variant's protection switched off. */
    public BrokerConfig apply(BrokerConfig base) {
        return switch (this) {
            case NO_RECOVERY -> base.withProducerStateRecovery(false);
            case WINDOW_1 -> base.withProducerStateWindow(1);
            case NO_FENCING -> base.withFencingEnabled(false);
            case NO_KIP890 -> base.withVerifyTransactionalPartitions(false);
        };
    }

    /** The variant called {@code name}; unknown names are refused with the list of valid ones. */
    public static BrokerVariant fromCliName(String name) {
        for (BrokerVariant v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown broker variant '" + name + "'; valid: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(BrokerVariant::cliName).collect(Collectors.joining(", "));
    }
}

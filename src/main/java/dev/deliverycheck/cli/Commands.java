package dev.deliverycheck.cli;

import java.util.List;

/** The subcommands, in the order {@code --help} lists them. */
final class Commands {
    private Commands() {
    }

    static List<Object> all() {
        return List.of(new VerifyCommand(), new CheckModelsCommand(), new SimulateCommand(), new ExploreCommand(),
                new ReplayCommand(), new BenchCommand(), new BrokerCommand(), new KafkaCommand(), new MergeCommand());
    }
}

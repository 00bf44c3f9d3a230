package dev.deliverycheck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deliverycheck.check.Checkers;
import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.RunCounts;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.partitioner.PartitionerType;
import dev.deliverycheck.sim.LoadRun;
import dev.deliverycheck.sim.SimulationConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deliverycheck simulate}: one deterministic run of a steady load under seeded faults. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "One deterministic run of the real producer and broker under seeded faults; prints counts, "
                + "faults injected and each invariant's verdict. Exit 1 if an invariant the mode guarantees was violated.")
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions.ModeOption mode = new SharedOptions.ModeOption();

    @Option(names = "--records", defaultValue = "1000", description = "records to send (not exactly-once; default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions of the topic (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--brokers", defaultValue = "1", description = "brokers (default ${DEFAULT-VALUE}; 2 for exactly-once if not given)")
    Integer brokers;

    @Option(names = "--partitioner", defaultValue = "hash",
            description = "hash (keyed records) | round-robin | sticky | uniform-sticky (keyless records); default ${DEFAULT-VALUE}")
    String partitioner;

    @Option(names = "--ack-loss", defaultValue = "0", description = "probability a response (ACK) is lost")
    double ackLoss;

    @Option(names = "--request-loss", defaultValue = "0", description = "probability a request is lost")
    double requestLoss;

    @Option(names = "--broker-crashes", defaultValue = "0", description = "broker crashes (and restarts) at seeded moments")
    int brokerCrashes;

    @Option(names = "--transactions", defaultValue = "100", description = "exactly-once: transactions to run")
    int transactions;

    @Option(names = "--records-per-txn", defaultValue = "5", description = "exactly-once: records per transaction")
    int recordsPerTxn;

    @Option(names = "--abort-rate", defaultValue = "0", description = "exactly-once: share of transactions aborted")
    double abortRate;

    @Option(names = "--producer-restarts", defaultValue = "0",
            description = "exactly-once: producer crashes mid-transaction; a new instance fences the old one")
    int producerRestarts;

    @Mixin
    SharedOptions.SeedOption seedOption = new SharedOptions.SeedOption();

    @Mixin
    SharedOptions.JsonOption json = new SharedOptions.JsonOption();

    @Override
    public Integer call() {
        Mode m = mode.mode;
        long seed = seedOption.seed;
        PartitionerType type = Cli.parse(() -> PartitionerType.parse(partitioner));
        var parsed = spec.commandLine().getParseResult();
        if (!m.transactional()) {
            for (String o : List.of("--transactions", "--records-per-txn", "--abort-rate", "--producer-restarts")) {
                if (parsed.hasMatchedOption(o)) {
                    throw new UsageException(o + " needs --mode exactly-once");
                }
            }
        } else if (parsed.hasMatchedOption("--records")) {
            throw new UsageException("--records is not used by --mode exactly-once; use --transactions and --records-per-txn");
        }
        boolean brokersGiven = parsed.hasMatchedOption("--brokers");
        int brokerCount = brokersGiven ? brokers : (m.transactional() ? 2 : 1);
        if (brokerCount > dev.deliverycheck.broker.txn.ProducerIdManager.MAX_BROKERS) {
            // Broker ids are 0..MAX_BROKERS-1: each broker hands out producer ids in its own residue class.
            throw new UsageException("--brokers must be at most " + dev.deliverycheck.broker.txn.ProducerIdManager.MAX_BROKERS
                    + ", got " + brokerCount);
        }
        SimulationConfig config = Cli.parse(() -> SimulationConfig.of(m, seed)
                .withShape(brokerCount, partitions)
                .withLoss(requestLoss, ackLoss)
                .withProducerOverrides(Map.of(ProducerConfig.PARTITIONER_CONFIG, type.configName())));
        LoadRun.Load load = Cli.parse(() -> new LoadRun.Load(records, type == PartitionerType.HASH, transactions,
                recordsPerTxn, abortRate, brokerCrashes, producerRestarts));
        History history = new History();
        LoadRun.Outcome outcome = LoadRun.run(config, load, history);
        List<Verdict> verdicts = Checkers.forMode(m).checkAll(history);
        RunCounts counts = RunCounts.of(history);
        boolean guaranteeBroken = verdicts.stream().anyMatch(v -> !v.holds() && m.expected(v.invariant()) == Expectation.HOLDS);

        Map<String, String> inv = new LinkedHashMap<>();
        for (Verdict v : verdicts) {
            inv.put(v.invariant().tlaName(), v.label());
        }
        SimulateJson out = new SimulateJson(m.cliName(), seed, counts.sent(), counts.acked(), counts.failed(), counts.stored(),
                counts.duplicates(), counts.lost(), counts.ackedButLost(), counts.reordered(),
                new SimulateJson.Faults(outcome.requestsLost(), outcome.responsesLost(), outcome.brokerCrashes(),
                        outcome.producerRestarts()),
                m.transactional() ? new SimulateJson.Transactions(outcome.committed(), outcome.aborted()) : null,
                inv, outcome.settled(), outcome.virtualMs());

        PrintWriter w = spec.commandLine().getOut();
        if (json.json) {
            w.println(Json.write(out));
        } else {
            w.printf("simulate %s seed=%d: sent=%d acked=%d failed=%d stored=%d duplicates=%d lost=%d ackedButLost=%d reordered=%d%n",
                    m.cliName(), seed, counts.sent(), counts.acked(), counts.failed(), counts.stored(), counts.duplicates(),
                    counts.lost(), counts.ackedButLost(), counts.reordered());
            w.printf("faults: requestsLost=%d responsesLost=%d brokerCrashes=%d producerRestarts=%d%n",
                    outcome.requestsLost(), outcome.responsesLost(), outcome.brokerCrashes(), outcome.producerRestarts());
            if (m.transactional()) {
                w.printf("transactions: committed=%d aborted=%d%n", outcome.committed(), outcome.aborted());
            }
            for (Verdict v : verdicts) {
                w.printf("  %-15s %-9s (expected %s)%s%n", v.invariant().tlaName(), v.label(),
                        m.expected(v.invariant()).label(), v.holds() ? "" : ": " + v.explanation());
            }
        }
        w.flush();
        if (guaranteeBroken) {
            spec.commandLine().getErr().println("deliverycheck: a guarantee of " + m.cliName()
                    + " was violated; reproduce with the same arguments (seed " + seed + ")");
            return Main.EXIT_MISMATCH;
        }
        return Main.EXIT_OK;
    }

    /** The document {@code simulate --json} prints, in this key order; {@code transactions} only for exactly-once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SimulateJson(String mode, long seed, long sent, long acked, long failed, long stored, long duplicates, long lost,
                        long ackedButLost, long reordered, Faults faults, Transactions transactions,
                        Map<String, String> invariants, boolean settled, long virtualMs) {
        record Faults(long requestsLost, long responsesLost, long brokerCrashes, long producerRestarts) {
        }

        record Transactions(long committed, long aborted) {
        }
    }
}

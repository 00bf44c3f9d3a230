package dev.deliverycheck.cli;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.wire.BrokerVariant;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deliverycheck broker}: the project's broker serving the Kafka wire protocol on 127.0.0.1
 * until the process is stopped (a clean stop flushes and snapshots; kill -9 leaves the log to
 * recovery at the next start). Prints {@code port=N} first, so scripts using {@code --port 0} can
 * read the port.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Serves the Kafka wire protocol on 127.0.0.1 from deliverycheck's broker (single copy, "
                + "file-backed log under --data, topics created on first use). Runs until stopped.")
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", required = true, description = "TCP port on 127.0.0.1; 0 picks a free one")
    int port;

    @Option(names = "--data", required = true, description = "directory of the log (created if missing)")
    Path data;

    @Option(names = "--partitions", defaultValue = "1", description = "partitions of a topic created on first use "
            + "(default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--transaction-version", defaultValue = "2", description = "1 or 2 (KIP-890 part 2: no "
            + "AddPartitionsToTxn from the client, epoch bumped per transaction); default ${DEFAULT-VALUE}")
    int transactionVersion;

    @Option(names = "--variant", description = "a known-bad broker: no-recovery, window-1, no-fencing, no-kip890 "
            + "(with --transaction-version 1)")
    String variant;

    @Override
    public Integer call() {
        // kafka-clients' logging API prints SLF4J's three-line "no binding" notice on first use; a started broker
        // reads as its two lines, and a refusal as one.
        return Slf4jNoticeFilter.around(this::serve);
    }

    private Integer serve() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be 0..65535, was " + port);
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new UsageException("--partitions must be 1..10000, was " + partitions);
        }
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw new UsageException("--transaction-version must be 1 or 2, was " + transactionVersion);
        }
        BrokerConfig config = BrokerConfig.DEFAULT;
        if (variant != null) {
            BrokerVariant chosen = Cli.parse(() -> BrokerVariant.fromCliName(variant));
            if (chosen == BrokerVariant.NO_KIP890 && transactionVersion == 2) {
                // Under version 2 the leader's check is also how a partition joins the transaction (KIP-890
                // part 2): without it every commit fails (INVALID_TXN_STATE), which is not the bug the variant shows.
                throw new UsageException("--variant no-kip890 needs --transaction-version 1: under version 2 the "
                        + "leader's KIP-890 check is how a partition joins the transaction, so every commit would fail");
            }
            config = chosen.apply(config);
        }
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new UsageException("--data is not a directory: " + data);
        }
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UsageException("cannot create --data directory " + data + ": " + Cli.ioReason(e));
        }
        FileStorage storage = new FileStorage(data);
        WireBroker broker = new WireBroker(storage, config, partitions, transactionVersion, EventSink.NONE);
        WireServer server;
        try {
            server = new WireServer(broker, port);
        } catch (IOException e) {
            broker.close();
            storage.close();
            throw new UsageException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            broker.close();
            storage.close();
            stopped.countDown();
        }, "deliverycheck-broker-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("port=" + server.port());
        out.printf("deliverycheck broker listening on 127.0.0.1:%d (data %s, %d partition(s) per new topic, "
                        + "transaction version %d%s)%n", server.port(), data, partitions, transactionVersion,
                variant == null ? "" : ", variant " + variant);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }
}

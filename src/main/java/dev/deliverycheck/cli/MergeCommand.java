package dev.deliverycheck.cli;

import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.report.ReportInput;
import dev.deliverycheck.report.ShardMerge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deliverycheck merge FILE...}: joins the {@code explore --shard K/N --json} reports of one job. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merges the explore --json reports of the shards of one exploration (explore --shard K/N) into the "
                + "report one job would have written: same invariants, seeds and coverage. Exit 0 iff every invariant's "
                + "observed outcome matches the expected outcome matrix.")
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "explore --json outputs, one JSON object per file")
    List<Path> files;

    @Option(names = "--json", description = "print the merged report as one JSON object (the shape of explore --json)")
    boolean json;

    @picocli.CommandLine.Mixin
    ReportOptions reportOptions = new ReportOptions();

    @Override
    public Integer call() {
        reportOptions.checkWritable();
        List<ShardMerge.Part> parts = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UsageException("no such report: " + f);
            }
            Object parsed;
            try {
                parsed = Json.parse(Files.readString(f));
            } catch (IOException e) {
                throw new UsageException("cannot read " + f + ": " + Cli.ioReason(e));
            } catch (RuntimeException e) {
                throw new UsageException(f + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new UsageException(f + ": not an explore --json report (expected one JSON object)");
            }
            parts.add(new ShardMerge.Part(f.toString(), map));
        }
        ExploreReport merged = Cli.parse(() -> ShardMerge.merge(parts));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.write(merged.toJson().withShards(parts.size())));
        } else {
            ExploreCommand.print(merged, w);
        }
        w.flush();
        if (reportOptions.requested()) {
            reportOptions.write(ReportInput.of(ReportOptions.commandLine(spec), merged.ok(), dev.deliverycheck.tlc.ProjectRoot.locate())
                    .withExplored(List.of(merged)), spec.commandLine().getErr());
        }
        return merged.ok() ? Main.EXIT_OK : Main.EXIT_MISMATCH;
    }
}

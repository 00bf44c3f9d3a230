package dev.deliverycheck.cli;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.report.JUnitXml;
import dev.deliverycheck.report.MatrixCell;
import dev.deliverycheck.report.OutputTargets;
import dev.deliverycheck.report.ReportInput;
import dev.deliverycheck.report.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --report DIR} and {@code --junit-xml FILE}, shared by the commands that judge something.
 * Both targets are checked before the command does any work, so an unwritable path costs one
 * error line and exit 2, not a finished run.
 */
final class ReportOptions {
    @Option(names = "--report", paramLabel = "DIR", description = "also write a static HTML report (sequence diagrams of "
            + "every counterexample) into DIR; open DIR/index.html")
    Path report;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "also write the results as JUnit XML (one test case "
            + "per matrix cell, model or invariant) for CI")
    Path junitXml;

    /** Throws a UsageException if a requested target cannot be written. */
    void checkWritable() {
        Cli.parse(() -> {
            OutputTargets.check(report, junitXml);
            return null;
        });
    }

    boolean requested() {
        return report != null || junitXml != null;
    }

    /** Writes what was asked for and says where on {@code err} (stdout stays the command's own output). */
    void write(ReportInput in, PrintWriter err) {
        try {
            if (report != null) {
                Path index = ReportWriter.write(report, in);
                err.println("report: " + index);
            }
            if (junitXml != null) {
                JUnitXml.write(junitXml, in);
                err.println("junit-xml: " + junitXml);
            }
            err.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }

    /** The command line as typed, for the report's heading. */
    static String commandLine(CommandSpec spec) {
        // picocli keeps the whole original argument list, the subcommand's name included.
        List<String> words = new ArrayList<>(List.of("./deliverycheck"));
        if (spec.commandLine().getParseResult() != null) {
            words.addAll(spec.commandLine().getParseResult().originalArgs());
        } else {
            words.add(spec.name());
        }
        return String.join(" ", words);
    }

    static List<MatrixCell> cells(OutcomeMatrix matrix) {
        List<MatrixCell> cells = new ArrayList<>();
        for (Map<Invariant, OutcomeMatrix.Cell> row : matrix.cells().values()) {
            for (OutcomeMatrix.Cell c : row.values()) {
                cells.add(new MatrixCell(c.mode(), c.invariant(), c.expected().label(), c.model(), c.models(), c.code(), c.matches()));
            }
        }
        return cells;
    }
}

package dev.deliverycheck.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code deliverycheck} command line. Exit codes: 0 success (observed matches expected),
 * 1 a check disagreed with its expectation, 2 bad usage or input (one error line, no stack trace),
 * 3 an internal or environment error (e.g. TLC could not be started).
 */
@Command(name = "deliverycheck", mixinStandardHelpOptions = true, version = "deliverycheck 0.1.0",
        description = "Checks the delivery guarantees of a Kafka-style producer: TLA+ models, "
                + "the real code under injected faults, and the link between them.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_MISMATCH = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Commands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExitCodeExceptionMapper(t -> t instanceof UsageException ? EXIT_USAGE : EXIT_INTERNAL);
        cl.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("deliverycheck: " + ex.getMessage().lines().findFirst().orElse("bad arguments")
                    + " (see --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            if (ex instanceof UsageException) {
                err.println("deliverycheck: " + ex.getMessage());
                return EXIT_USAGE;
            }
            err.println("deliverycheck: internal error: " + ex + ourFrame(ex)
                    + " (a bug: please report it with the command line; -Ddeliverycheck.stacktrace=true prints the whole trace)");
            if (Boolean.getBoolean("deliverycheck.stacktrace")) {
                ex.printStackTrace(err);
            }
            return EXIT_INTERNAL;
        });
        return cl;
    }

    /** Where in deliverycheck's own code {@code ex} was thrown (the JDK's frames say little), or "". */
    static String ourFrame(Throwable ex) {
        for (StackTraceElement frame : ex.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.deliverycheck.")) {
                return " at " + frame;
            }
        }
        return "";
    }

    /** No command given: a usage error (a CI line with an empty variable must not pass), one line naming the commands. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("deliverycheck: no command given; one of " + String.join(", ", spec.commandLine().getSubcommands().keySet())
                + " (see --help)");
        err.flush();
        return EXIT_USAGE;
    }
}

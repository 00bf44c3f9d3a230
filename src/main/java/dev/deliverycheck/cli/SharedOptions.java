package dev.deliverycheck.cli;

import dev.deliverycheck.check.Mode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options several commands share, as picocli mixins: one declaration, one help text and one
 * parse for {@code --mode}, {@code --seed}, {@code --out} and {@code --json} wherever they appear.
 * ({@code --report} and {@code --junit-xml} are {@link ReportOptions}.)
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** {@code --mode}, required, parsed by picocli: a bad name is one line listing the candidates, exit 2. */
    static final class ModeOption {
        @Option(names = "--mode", required = true, converter = ModeConverter.class,
                completionCandidates = ModeCandidates.class, description = "${COMPLETION-CANDIDATES}")
        Mode mode;
    }

    /** {@code --seed}: run i of a command uses seed S+i, so the same seed gives the same runs. */
    static final class SeedOption {
        @Option(names = "--seed", defaultValue = "1", description = "seed: run i uses seed S+i; same seed, same runs "
                + "(default ${DEFAULT-VALUE})")
        long seed;
    }

    /** {@code --out}: where shrunk schedules are saved. */
    static final class OutOption {
        @Option(names = "--out", defaultValue = "replays", description = "directory for shrunk schedules (default ${DEFAULT-VALUE})")
        Path out;

        /** Before any work starts: a run that takes minutes must not end in "cannot write replay file". */
        void checkWritable() {
            Cli.parse(() -> {
                dev.deliverycheck.report.OutputTargets.checkDirectory(out, "--out");
                return null;
            });
        }
    }

    /** {@code --json}: the command's result as one JSON object on stdout. */
    static final class JsonOption {
        @Option(names = "--json", description = "print one JSON object")
        boolean json;
    }

    /** Mode by its CLI name (at-most-once ...), as DESIGN.md and the specs spell it. */
    static final class ModeConverter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The CLI names of the modes: shown in --help, offered by shell completion. */
    static final class ModeCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Mode.values()).map(Mode::cliName).iterator();
        }
    }
}

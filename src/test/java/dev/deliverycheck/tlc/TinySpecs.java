package dev.deliverycheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A four-state counter spec and configs for tests that run the real TLC quickly. */
final class TinySpecs {
    private TinySpecs() {
    }

    static final String COUNTER = """
            ---- MODULE Counter ----
            EXTENDS Naturals
            VARIABLE x
            Init == x = 0
            CounterStep == x < 3 /\\ x' = x + 1
            CounterWrap == x = 3 /\\ x' = 0
            Next == CounterStep \\/ CounterWrap
            NextNoWrap == CounterStep
            TypeOK == x \\in 0..3
            Small == x < 2
            ProducerTick(k) == x < 3 /\\ x' = x + k
            NextViaCall == \\E k \\in {1} : ProducerTick(k)
            FairSpec == Init /\\ [][NextNoWrap]_x /\\ WF_x(NextNoWrap)
            UnfairSpec == Init /\\ [][NextNoWrap]_x
            ReachesThree == <>(x = 3)
            StaysAtZero == [](x = 0)
            ====
            """;

    /**
     * Writes Counter.tla and the configs holds.cfg, small.cfg, deadlock.cfg, broken.cfg into dir,
     * and the liveness configs live.cfg (ReachesThree holds under weak fairness), unfair.cfg
     * (without fairness: a lasso stuttering at 0 violates it), twoProperties.cfg (the lasso, two
     * properties listed) and unfairSmall.cfg (no fairness, the invariant Small violated first).
     */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Counter.tla"), COUNTER);
        Files.writeString(dir.resolve("holds.cfg"), "INIT Init\nNEXT Next\nINVARIANT TypeOK\n");
        Files.writeString(dir.resolve("small.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
        Files.writeString(dir.resolve("deadlock.cfg"), "INIT Init\nNEXT NextNoWrap\nINVARIANT TypeOK\n");
        Files.writeString(dir.resolve("broken.cfg"), "INIT Init\nNEXT Next\nINVARIANT NoSuchOperator\n");
        String noDeadlock = "CHECK_DEADLOCK FALSE\n";
        Files.writeString(dir.resolve("live.cfg"), "SPECIFICATION FairSpec\nPROPERTY ReachesThree\n" + noDeadlock);
        Files.writeString(dir.resolve("unfair.cfg"), "SPECIFICATION UnfairSpec\nPROPERTY ReachesThree\n" + noDeadlock);
        Files.writeString(dir.resolve("twoProperties.cfg"),
                "SPECIFICATION UnfairSpec\nPROPERTIES\n  ReachesThree\n  StaysAtZero\n" + noDeadlock);
        Files.writeString(dir.resolve("unfairSmall.cfg"),
                "SPECIFICATION UnfairSpec\nINVARIANT Small\nPROPERTY ReachesThree\n" + noDeadlock);
        return dir.resolve("Counter.tla");
    }
}

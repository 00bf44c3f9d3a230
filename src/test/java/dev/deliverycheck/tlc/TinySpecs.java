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
            ====
            """;

    /** Writes Counter.tla and the configs holds.cfg, small.cfg, deadlock.cfg, broken.cfg into dir. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Counter.tla"), COUNTER);
        Files.writeString(dir.resolve("holds.cfg"), "INIT Init\nNEXT Next\nINVARIANT TypeOK\n");
        Files.writeString(dir.resolve("small.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
        Files.writeString(dir.resolve("deadlock.cfg"), "INIT Init\nNEXT NextNoWrap\nINVARIANT TypeOK\n");
        Files.writeString(dir.resolve("broken.cfg"), "INIT Init\nNEXT Next\nINVARIANT NoSuchOperator\n");
        return dir.resolve("Counter.tla");
    }
}

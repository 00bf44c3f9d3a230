package dev.deliverycheck.wire.apache;

import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the child JVM of a real Apache Kafka broker finds {@code org.apache.kafka:kafka_2.13:4.4.0} and its
 * dependencies: the classpath that Maven's {@code dependency:build-classpath} writes to
 * {@code target/kafka-broker.classpath} during every build (also {@code -DskipTests package}, which the
 * launcher runs). The system property {@value #PROPERTY} names another file; otherwise the file is looked up
 * under the project root ({@code -Ddeliverycheck.root}, set by the launcher and by surefire). The broker's jars
 * are never on deliverycheck's own classpath: they are test scope and left out of the shaded jar.
 */
public final class KafkaBrokerClasspath {
    public static final String PROPERTY = "deliverycheck.kafka.classpath";
    static final String FILE = "target/kafka-broker.classpath";

    private KafkaBrokerClasspath() {
    }

    /** The classpath of the broker's JVM; throws naming the file and how to create it when missing or empty. */
    public static String locate() {
        String configured = System.getProperty(PROPERTY);
        Path file = configured != null && !configured.isBlank() ? Path.of(configured) : ProjectRoot.locate().resolve(FILE);
        return read(file);
    }

    static String read(Path file) {
        String classpath;
        try {
            classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no Kafka broker classpath at " + file
                    + " (run 'mvn -B package' in the repository: it resolves org.apache.kafka:kafka_2.13:4.4.0)");
        }
        if (!classpath.contains("kafka_2.13")) {
            throw new IllegalStateException("the Kafka broker classpath at " + file + " does not list kafka_2.13");
        }
        return classpath;
    }
}

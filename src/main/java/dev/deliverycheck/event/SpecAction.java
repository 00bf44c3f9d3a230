package dev.deliverycheck.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the Java method that implements a TLA+ action of the specs in {@code tla/} (and emits the
 * event of the same name): the mechanical link between the spec and the code. A test
 * ({@code SpecNameLinkTest}) checks that every event has such a home, that every action of the
 * specs' {@code Next} has a Java event or is a documented model-only step, and that every name
 * used here is an action or an event.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface SpecAction {
    /** The TLA+ action names (= event names) this method implements. */
    String[] value();
}

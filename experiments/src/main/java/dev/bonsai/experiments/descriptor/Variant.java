package dev.bonsai.experiments.descriptor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a record that implements a sealed descriptor type: the descriptor picks it with {@code id: NAME}, or with
 * the bare name when it needs no other keys.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Variant {
    /** The id that selects this record. */
    String value();
}

package dev.bonsai.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API type or member that may still change incompatibly without a new {@link Spi#VERSION}: a plugin that
 * uses it may need to be rebuilt for a later Bonsai even when its SPI version still matches. Everything in this
 * module not so marked follows the SPI versioning rules.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.PACKAGE,
        ElementType.RECORD_COMPONENT})
public @interface Experimental {
    /** Why it may change, or what is still open. */
    String value() default "";
}

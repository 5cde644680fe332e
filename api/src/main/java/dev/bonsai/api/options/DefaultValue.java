package dev.bonsai.api.options;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value an option takes when the descriptor omits it, written as it would be in YAML ({@code "0.9"},
 * {@code "true"}, {@code "[300, 100]"}, {@code "{}"} for a nested record of defaults). An option without one is
 * required.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface DefaultValue {
    /** The default, in YAML syntax. */
    String value();
}

package dev.bonsai.experiments.descriptor;

import dev.bonsai.experiments.plugins.PluginKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a descriptor component of type {@code PluginRef} (or a list of them) with the plugin kind it names. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface PluginSlot {
    /** The kind of plugin. */
    PluginKind value();
}

/**
 * Plugin discovery and composition: {@link java.util.ServiceLoader} finds the plugins of every
 * {@link dev.bonsai.experiments.plugins.PluginKind kind}, their SPI versions are checked, and
 * {@link dev.bonsai.experiments.plugins.PluginsModule} exposes each kind to Guice as a {@code MapBinder} by id.
 * Plugins themselves never see Guice.
 *
 * <p>External plugins, jars in {@code plugins/}, {@code ~/.bonsai/plugins}, named by {@code --plugins} or by a
 * descriptor's {@code plugins:} list ({@link dev.bonsai.experiments.plugins.PluginBundle}), are each loaded by a
 * class loader of their own ({@code PluginClassLoader}, modelled on Trino's) that shares only the
 * {@code dev.bonsai.api} packages with the host, so their dependencies never clash with Bonsai's or each other's.
 */
package dev.bonsai.experiments.plugins;

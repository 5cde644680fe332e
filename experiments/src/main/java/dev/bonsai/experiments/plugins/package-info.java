/**
 * Plugin discovery and composition: {@link java.util.ServiceLoader} finds the plugins of every
 * {@link dev.bonsai.experiments.plugins.PluginKind kind}, their SPI versions are checked, and
 * {@link dev.bonsai.experiments.plugins.PluginsModule} exposes each kind to Guice as a {@code MapBinder} by id.
 * Plugins themselves never see Guice.
 */
package dev.bonsai.experiments.plugins;

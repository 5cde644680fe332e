package dev.bonsai.experiments.cli;

import dev.bonsai.api.PluginVersions;
import dev.bonsai.api.Spi;
import picocli.CommandLine;

/** {@code bonsai --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"bonsai " + PluginVersions.of(VersionProvider.class) + " (SPI " + Spi.VERSION + ")"};
    }
}

package dev.bonsai.api;

/**
 * The version of Bonsai's service-provider interface.
 *
 * <p>A plugin returns {@link #VERSION} from {@link Plugin#spiVersion()}; because the field is a compile-time
 * constant, the value is fixed into the plugin's class file when the plugin is compiled, so the host can tell
 * which SPI a plugin was built for. The host refuses a plugin whose SPI version differs from its own.
 */
public final class Spi {
    /** The current SPI version. Incremented on every incompatible change to this module. */
    public static final int VERSION = 1;

    private Spi() {
    }
}

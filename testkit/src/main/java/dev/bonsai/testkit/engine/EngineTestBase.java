package dev.bonsai.testkit.engine;

import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.testkit.DefaultOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;

/**
 * What every engine contract shares: the engine and device under test, and one runtime per test class, loaded on
 * first use (skipping the tests when the device is unavailable here) and closed after the last test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineTestBase {
    private EngineRuntime runtime;

    /** The engine under test. */
    protected abstract ComputeEngine<?> engine();

    /** The device to test on; {@code cpu} unless overridden. */
    protected String device() {
        return "cpu";
    }

    /** Loads the engine; by default with every option at its {@code @DefaultValue}. */
    protected EngineRuntime createRuntime() {
        return DefaultOptions.create(engine());
    }

    /** The runtime shared by this class's tests; skips the calling test when the device is unavailable. */
    protected final EngineRuntime runtime() {
        if (runtime == null) {
            Availability availability = engine().availability(device());
            Assumptions.assumeTrue(availability.available(),
                    () -> "device '" + device() + "' is unavailable: " + availability.reason());
            runtime = createRuntime();
        }
        return runtime;
    }

    /** Closes the runtime after the last test. */
    @AfterAll
    protected void closeRuntime() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }
}

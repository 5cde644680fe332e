package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.strategies.probes.Capabilities;
import dev.bonsai.testkit.engine.ProbeContract;

/**
 * The probe contract on the CPU: native gradients and activations; Hessian-vector products, curvature and
 * layer-input statistics through the core's generic paths.
 */
class Dl4jProbeContractTest extends ProbeContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new Dl4jEngine();
    }

    @Override
    protected EngineRuntime createRuntime() {
        return Dl4jTestRuntime.create();
    }

    @Override
    protected <C extends Capability> C resolve(Network network, Class<C> type) {
        return Capabilities.resolve(network, type);
    }

    @Override
    protected <C extends Capability> C generic(Network network, Class<C> type) {
        return Capabilities.generic(network, type);
    }
}

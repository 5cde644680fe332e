package dev.bonsai.engine.djl;

import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.Network;
import dev.bonsai.strategies.probes.Capabilities;
import dev.bonsai.testkit.engine.ProbeContract;

/** The probe contract on the CPU: native gradients, Hessian-vector products and activations, the rest generic. */
class DjlProbeContractTest extends ProbeContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new DjlEngine();
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

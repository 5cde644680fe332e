package dev.bonsai.strategies.probes;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.SquaredGradientProbe;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a capability of a network: the engine's native one when it has it, else the core's generic fallback built
 * from what the engine does provide (see the {@linkplain dev.bonsai.strategies.probes package} for the table).
 */
public final class Capabilities {
    private Capabilities() {
    }

    /**
     * The engine's native {@code type} if it has one, else the generic fallback.
     *
     * @throws BonsaiException naming the capability and what its fallback would need, when neither exists
     */
    public static <C extends Capability> C resolve(Network network, Class<C> type) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(type, "type");
        Optional<C> own = network.capability(type);
        if (own.isPresent()) {
            return own.get();
        }
        return generic(network, type);
    }

    /**
     * The generic fallback for {@code type}, even when the engine has a native one (to compare the two). What the
     * fallback is built from is itself resolved natively first: the generic curvature uses the engine's native
     * Hessian-vector products when it has them.
     *
     * @throws BonsaiException when the core has no fallback for {@code type} or the engine lacks what it needs
     */
    public static <C extends Capability> C generic(Network network, Class<C> type) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(type, "type");
        Capability fallback;
        if (type == HessianVectorProbe.class) {
            fallback = new FiniteDifferenceHessianVector(network, need(network, GradientProbe.class, type));
        } else if (type == CurvatureProbe.class) {
            GradientProbe gradients = network.capability(GradientProbe.class).orElse(null);
            HessianVectorProbe hvp = network.capability(HessianVectorProbe.class).orElse(
                    gradients == null ? null : new FiniteDifferenceHessianVector(network, gradients));
            if (gradients == null && hvp == null) {
                throw missing(network, type, "GradientProbe (or at least HessianVectorProbe, for Hutchinson only)");
            }
            fallback = new GenericCurvature(network, gradients, hvp);
        } else if (type == SquaredGradientProbe.class) {
            fallback = new PerSampleSquaredGradients(need(network, GradientProbe.class, type));
        } else if (type == LayerInputProbe.class || type == LayerInputMagnitudeProbe.class) {
            fallback = new ActivationLayerInputs(network, need(network, ActivationProbe.class, type));
        } else if (type == GradientProbe.class || type == ActivationProbe.class) {
            throw new BonsaiException("this strategy needs " + type.getSimpleName() + ", which " + engineOf(network)
                    + " does not provide and which Bonsai has no generic fallback for (it is the engine's to"
                    + " compute); choose another engine or strategy");
        } else {
            throw new BonsaiException("this strategy needs " + type.getName() + ", which " + engineOf(network)
                    + " does not provide and which Bonsai has no generic fallback for; choose another engine or"
                    + " strategy");
        }
        return type.cast(fallback);
    }

    private static <D extends Capability> D need(Network network, Class<D> dependency, Class<?> type) {
        return network.capability(dependency).orElseThrow(() -> missing(network, type, dependency.getSimpleName()));
    }

    private static BonsaiException missing(Network network, Class<?> type, String dependency) {
        return new BonsaiException("this strategy needs " + type.getSimpleName() + ", which " + engineOf(network)
                + " does not provide natively; Bonsai's generic " + type.getSimpleName() + " is computed from "
                + dependency + ", which the engine does not provide either; choose another engine or strategy");
    }

    private static String engineOf(Network network) {
        return "the engine of " + network + " (device " + network.device() + ")";
    }
}

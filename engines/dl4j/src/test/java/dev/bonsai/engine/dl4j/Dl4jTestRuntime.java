package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.EngineRuntime;

/** How the contract tests load the engine. */
final class Dl4jTestRuntime {
    private Dl4jTestRuntime() {
    }

    /**
     * The runtime with one ND4J thread: the contract's tensors are tiny, and on a machine shared with other builds
     * OpenMP's spinning threads made every operation on them many times slower (the setting is process-wide; every
     * dl4j test class uses the same one).
     */
    static EngineRuntime create() {
        return new Dl4jEngine().create(new Dl4jOptions(1));
    }
}

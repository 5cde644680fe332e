/**
 * Bonsai's service-provider interface: the plugin kinds and the engine-neutral value types they exchange.
 *
 * <p>Every plugin kind extends {@link dev.bonsai.api.Plugin}: a stable id, a version, the SPI version it was
 * compiled against and a typed options record. Plugins are discovered with {@link java.util.ServiceLoader};
 * this module depends on the JDK only, so a plugin jar needs nothing else to compile.
 *
 * <ul>
 *   <li>{@link dev.bonsai.api.engine} — compute engines, devices, networks, training and probes</li>
 *   <li>{@link dev.bonsai.api.model} — model specifications, shapes, tensors and seeded initial weights</li>
 *   <li>{@link dev.bonsai.api.data} — dataset providers, in-memory splits and the seeded batch sampler</li>
 *   <li>{@link dev.bonsai.api.prune} — strategies (scores), masks, sparsity targets, scopes, structures, schedules</li>
 *   <li>{@link dev.bonsai.api.distill} — distillation recipes as declarative loss terms</li>
 *   <li>{@link dev.bonsai.api.report} — trial records and report writers</li>
 *   <li>{@link dev.bonsai.api.options} — annotations that document and constrain plugin options</li>
 * </ul>
 */
package dev.bonsai.api;

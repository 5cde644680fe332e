package dev.bonsai.api.engine;

/**
 * A marker for something a strategy may need from a network beyond its weights. Ask with
 * {@link Network#capability(Class)}; an empty answer means the core's generic path is used instead.
 */
public interface Capability {
}

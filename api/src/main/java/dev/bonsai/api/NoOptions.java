package dev.bonsai.api;

/** The options record of a plugin that takes no options; any key given to it is an error. */
public record NoOptions() {
}

package dev.bonsai.api.engine;

/**
 * Whether an engine can run on a device here, and if not, why.
 *
 * @param available whether it can
 * @param reason    why not, and what to do; empty when available
 */
public record Availability(boolean available, String reason) {

    /** Available. */
    public static Availability yes() {
        return new Availability(true, "");
    }

    /** Unavailable, for the given reason. */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}

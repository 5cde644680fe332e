package dev.bonsai.api;

/**
 * An error a user can act on: bad input, a missing file, an unavailable engine. Its message says what was wrong,
 * where, and what to do; the CLI prints it without a stack trace.
 */
public class BonsaiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that stands on its own. */
    public BonsaiException(String message) {
        super(message);
    }

    /** An error with a message that stands on its own and the low-level cause. */
    public BonsaiException(String message, Throwable cause) {
        super(message, cause);
    }
}

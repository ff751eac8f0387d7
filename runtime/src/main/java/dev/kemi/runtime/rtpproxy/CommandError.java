package dev.kemi.runtime.rtpproxy;

/** A command that must be answered with {@code E<code>}. */
final class CommandError extends Exception {
    final int code;

    CommandError(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }
}

package dev.kemi.runtime.core;

import java.util.function.Function;

/** Text with pseudo-variables printed for a message (log_prefix): the pv module provides it. */
public interface MessageFormats {
    /** @throws IllegalArgumentException for a bad format */
    Function<MessageContext, String> compile(String format);
}

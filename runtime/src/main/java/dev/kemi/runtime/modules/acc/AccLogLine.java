package dev.kemi.runtime.modules.acc;

import java.util.List;

/** acc's syslog line: "ACC: <what>: timestamp=N;method=..;from_tag=..;...;extra=..", as 5.6.3 writes it. */
final class AccLogLine {
    static final String ANSWERED = "ACC: transaction answered: ";
    static final String MISSED = "ACC: call missed: ";
    static final String REQUEST = "ACC: request accounted: ";

    /** One name=value; a null value prints as nothing after '='. */
    record Field(String name, String value) {}

    private AccLogLine() {}

    static String format(String what, long timestamp, List<Field> fields) {
        StringBuilder b = new StringBuilder(256).append(what).append("timestamp=").append(timestamp);
        for (Field f : fields) {
            b.append(';').append(f.name()).append('=');
            if (f.value() != null) b.append(f.value());
        }
        return b.toString();
    }
}

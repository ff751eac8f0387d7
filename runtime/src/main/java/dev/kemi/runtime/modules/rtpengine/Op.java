package dev.kemi.runtime.modules.rtpengine;

/** The ng commands Kamailio's rtpengine module sends (its command_strings). */
enum Op {
    OFFER("offer"), ANSWER("answer"), DELETE("delete"), START_RECORDING("start recording"), QUERY("query"),
    PING("ping"), STOP_RECORDING("stop recording"), BLOCK_DTMF("block DTMF"), UNBLOCK_DTMF("unblock DTMF"),
    BLOCK_MEDIA("block media"), UNBLOCK_MEDIA("unblock media"), SILENCE_MEDIA("silence media"),
    UNSILENCE_MEDIA("unsilence media"), START_FORWARDING("start forwarding"), STOP_FORWARDING("stop forwarding"),
    PLAY_MEDIA("play media"), STOP_MEDIA("stop media"), PLAY_DTMF("play DTMF");

    final String command;

    Op(String command) {
        this.command = command;
    }

    /** Operations whose from-tag is sent only when the flags ask for "directional"/"from-tag". */
    boolean mediaControl() {
        return switch (this) {
            case BLOCK_DTMF, BLOCK_MEDIA, UNBLOCK_DTMF, UNBLOCK_MEDIA, START_FORWARDING, STOP_FORWARDING,
                    SILENCE_MEDIA, UNSILENCE_MEDIA -> true;
            default -> false;
        };
    }
}

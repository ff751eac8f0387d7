package dev.kemi.runtime.transport.ws;

import java.util.concurrent.atomic.LongAdder;

/**
 * The frame and close statistics of Kamailio's websocket module (ws_received_frames,
 * ws_sip_received_frames ...). Every upgraded connection carries SIP (MSRP is not offered), so
 * each sip_ counter moves with its general one.
 */
public record WsCounters(LongAdder received, LongAdder sipReceived, LongAdder transmitted, LongAdder sipTransmitted,
                         LongAdder localClosed, LongAdder sipLocalClosed, LongAdder remoteClosed, LongAdder sipRemoteClosed,
                         LongAdder failed, LongAdder sipFailed) {
    void frameIn(boolean data) {
        received.increment();
        if (data) sipReceived.increment();
    }

    void frameOut(boolean data) {
        transmitted.increment();
        if (data) sipTransmitted.increment();
    }

    void countLocalClose() {
        localClosed.increment();
        sipLocalClosed.increment();
    }

    void countRemoteClose() {
        remoteClosed.increment();
        sipRemoteClosed.increment();
    }

    void sendFailed() {
        failed.increment();
        sipFailed.increment();
    }
}

package dev.kemi.runtime.rpc;

/**
 * A 32-bit unsigned value ({@code "u"} in Kamailio's RPC formats: flags, methods, hash ids).
 * ctl sends it as a plain BINRPC int, so kamcmd prints the signed view (all methods: -1);
 * jsonrpcs prints it unsigned (4294967295).
 */
public record RpcUnsigned(int bits) {
    public long value() {
        return Integer.toUnsignedLong(bits);
    }

    @Override
    public String toString() {
        return Long.toString(value());
    }
}

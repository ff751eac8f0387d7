package dev.kemi.runtime.rpc;

/** A fault answered to the caller as a JSON-RPC error (Kamailio uses HTTP-like codes: 500, 400 ...). */
public class RpcException extends RuntimeException {
    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}

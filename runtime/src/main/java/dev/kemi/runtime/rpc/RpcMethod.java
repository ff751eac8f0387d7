package dev.kemi.runtime.rpc;

import java.util.List;

/** One RPC command. Params come in order (jsonrpcs ignores names); the result is Jackson-serialisable. */
@FunctionalInterface
public interface RpcMethod {
    Object call(List<Object> params) throws RpcException;
}

package dev.kemi.runtime.rpc;

/** A module that offers RPC commands (ul.dump, htable.get ...): registered when the proxy's registry is built. */
public interface RpcProvider {
    void registerRpc(RpcRegistry registry);
}

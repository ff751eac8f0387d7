package dev.kemi.runtime.rpc;

/**
 * A named member added to an array ({@code rpc->struct_add} on an array handle, as
 * core.sockets_list's "socket" entries): BINRPC carries it as a named value, jsonrpcs wraps it
 * in a one-member object.
 */
public record RpcMember(String name, Object value) {}

package dev.kemi.runtime.rpc;

import java.util.List;

/**
 * One array value at the top of a reply (Kamailio's {@code rpc->add("[")}): jsonrpcs answers it
 * as a JSON array, kamcmd shows it as one struct. A plain top-level {@link List} is instead the
 * sequence of values a command adds one by one (core.psx, system.listMethods); nested Lists are
 * arrays either way.
 */
public record RpcArray(List<?> items) {
    public RpcArray {
        items = List.copyOf(items);
    }
}

package dev.kemi.runtime.modules.usrloc;

/** Column names of the location table (usrloc's *_column modparams), Kamailio's defaults. */
public final class LocationColumns {
    public String ruid = "ruid";
    public String username = "username";
    public String domain = "domain";
    public String contact = "contact";
    public String expires = "expires";
    public String q = "q";
    public String callid = "callid";
    public String cseq = "cseq";
    public String flags = "flags";
    public String cflags = "cflags";
    public String userAgent = "user_agent";
    public String received = "received";
    public String path = "path";
    public String socket = "socket";
    public String methods = "methods";
    public String instance = "instance";
    public String regId = "reg_id";
    public String serverId = "server_id";
    public String connectionId = "connection_id";
    public String keepalive = "keepalive";
    public String partition = "partition";
    public String lastModified = "last_modified";
}

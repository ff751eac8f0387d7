package dev.kemi.runtime.core;

/** Whether a message starts with an HTTP/1.x request line ("POST /RPC HTTP/1.1"), as Kamailio's parser flags it. */
public final class HttpRequestLine {
    private HttpRequestLine() {}

    public static boolean matches(byte[] data) {
        int lf = 0;
        while (lf < data.length && lf < 8192 && data[lf] != '\n') lf++;
        if (lf == data.length || lf == 8192) return false;
        int end = lf > 0 && data[lf - 1] == '\r' ? lf - 1 : lf;
        int sp = -1;
        for (int i = end - 1; i >= 0; i--) {
            if (data[i] == ' ') {
                sp = i;
                break;
            }
        }
        if (sp < 0 || end - sp - 1 != 8) return false;
        return data[sp + 1] == 'H' && data[sp + 2] == 'T' && data[sp + 3] == 'T' && data[sp + 4] == 'P'
                && data[sp + 5] == '/' && data[sp + 6] == '1' && data[sp + 7] == '.';
    }
}

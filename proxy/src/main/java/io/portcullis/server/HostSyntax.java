package io.portcullis.server;

/**
 * The grammar of a Host value: {@code uri-host [ ":" port ]} where uri-host is a bracketed IPv6 literal or a
 * reg-name / IPv4 (unreserved, percent-encoded and sub-delim characters). Empty is allowed (RFC 9112 3.2:
 * a request without an authority sends an empty Host).
 */
final class HostSyntax {
    private HostSyntax() {}

    static boolean isValid(String host) {
        int len = host.length();
        int i = 0;
        if (len > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int j = 1; j < close; j++) {
                char c = host.charAt(j);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < len && host.charAt(i) != ':') {
                if (!isRegNameChar(host.charAt(i))) {
                    return false;
                }
                i++;
            }
        }
        if (i == len) {
            return true;
        }
        if (host.charAt(i) != ':') {
            return false;
        }
        for (int j = i + 1; j < len; j++) {
            char c = host.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return len - i - 1 <= 5;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isRegNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
    }
}

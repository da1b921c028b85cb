package io.portcullis.config;

import io.netty.util.NetUtil;
import java.util.regex.Pattern;

/**
 * Checks for the small textual forms a config contains: HTTP tokens and header values, host names and
 * IP literals. IPs are parsed as text only, never through {@code InetAddress.getByName}, so validating a
 * config performs no DNS lookups.
 */
final class Syntax {
    /** RFC 9110 tchar. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    /** One DNS label; {@code _} is allowed because service names such as Kubernetes' sometimes use it. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    /** Dotted quad without leading zeros, which some parsers read as octal. */
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private Syntax() {}

    /** An HTTP token: a valid header name or method. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c < 128 && Character.isLetterOrDigit(c);
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A header value that cannot split or truncate a header line. */
    static boolean isHeaderValue(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 && text.indexOf('\0') < 0;
    }

    /** A DNS name such as {@code api.example.com} (an IPv4 literal also passes). */
    static boolean isHostname(String text) {
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A host name, or a wildcard {@code *.example.com} matching one or more leading labels. */
    static boolean isHostnamePattern(String text) {
        return isHostname(text.startsWith("*.") ? text.substring(2) : text);
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** IPv6 literal without brackets or zone. */
    static boolean isIpv6(String text) {
        return text.indexOf(':') >= 0 && text.indexOf('[') < 0 && text.indexOf('%') < 0
                && NetUtil.isValidIpV6Address(text);
    }

    static boolean isIp(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    /**
     * Checks an IP range written as CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}) or a single IP.
     *
     * @return null if valid, else the problem
     */
    static String cidrProblem(String text) {
        String expected = " (expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8)";
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        if (!isIp(ip)) {
            return "\"" + text + "\" is not an IP range" + expected;
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(ip);
        if (slash < 0) {
            return null;
        }
        String prefixText = text.substring(slash + 1);
        int bits = address.length * 8;
        if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > bits) {
            return "\"" + text + "\" has an invalid prefix length (expected: 0-" + bits + ")";
        }
        int prefix = Integer.parseInt(prefixText);
        boolean hostBitsSet = false;
        for (int bit = prefix; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != 0) {
                hostBitsSet = true;
                address[bit / 8] &= (byte) ~mask;
            }
        }
        if (hostBitsSet) {
            // Accepting it would leave the reader guessing which range was meant.
            return "\"" + text + "\" has bits set after the prefix (did you mean "
                    + NetUtil.bytesToIpAddress(address) + "/" + prefix + "?)";
        }
        return null;
    }
}

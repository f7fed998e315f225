package org.crmkit.workflow.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.crmkit.workflow.WebhookSettings;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a webhook URL may be called: http(s), no user info, and a host that is not inside the network
 * (loopback, private, link-local, unique-local, shared, benchmark, cloud metadata, unspecified, multicast, broadcast),
 * also when written as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6, or as a number in decimal, octal or hex
 * (any numeric form but the dotted quad is refused outright), or as a name whose DNS answers include such an address.
 * Hosts listed as allowed pass unchecked.
 */
final class AddressGuard {
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata",
            "instance-data", "metadata.azure.internal");

    private final Set<String> allowed;
    private final WebhookSettings.Resolver resolver;

    AddressGuard(Set<String> allowedHosts, WebhookSettings.Resolver resolver) {
        this.allowed = allowedHosts.stream().map(AddressGuard::normal).collect(java.util.stream.Collectors.toSet());
        this.resolver = resolver;
    }

    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * Null when the URL may be called, else why not. Without {@code resolve}, names are not looked up (rule checks at
     * save time); with it, every address the name resolves to is checked (before each call).
     */
    @Nullable
    String checkUrl(String url, boolean resolve) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "webhook URLs are http or https";
        }
        if (uri.getRawUserInfo() != null) {
            return "webhook URLs carry no user info";
        }
        String raw = uri.getHost();
        if (raw == null || raw.isEmpty()) {
            return "webhook URL has no host";
        }
        String host = normal(raw);
        if (allowed.contains(host)) {
            return null;
        }
        return checkHost(host, resolve);
    }

    private @Nullable String checkHost(String host, boolean resolve) {
        InetAddress literal;
        try {
            literal = literal(host);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (literal != null) {
            return internal(literal) ? "address " + host + " is inside the network (not allowed for webhooks)" : null;
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || METADATA_NAMES.contains(host)
                || host.endsWith(".internal")) {
            return "host " + host + " is inside the network (not allowed for webhooks)";
        }
        if (!resolve) {
            return null;
        }
        List<InetAddress> answers;
        try {
            answers = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return "host " + host + " does not resolve";
        }
        if (answers.isEmpty()) {
            return "host " + host + " does not resolve";
        }
        for (InetAddress a : answers) {
            if (internal(a)) {
                return "host " + host + " resolves to " + a.getHostAddress()
                        + ", inside the network (not allowed for webhooks)";
            }
        }
        return null;
    }

    /**
     * The address a numeric host stands for, or null for a name. IPv6 literals are parsed as such; IPv4 in the dotted
     * quad only: other numeric forms (2130706433, 0x7f.1, 0177.0.0.1, 127.1) are refused, since resolvers disagree on
     * them.
     */
    static @Nullable InetAddress literal(String host) {
        if (host.contains(":")) {
            try {
                return InetAddress.getByName("[" + host + "]");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + host);
            }
        }
        if (!host.matches("[0-9a-fA-FxX.]+") || !host.matches(".*\\d.*") || host.matches(".*[g-wyzG-WYZ].*")) {
            return null;
        }
        boolean allDigitsOrHex = true;
        for (String part : host.split("\\.", -1)) {
            if (!part.matches("0[xX][0-9a-fA-F]*|[0-9]+")) {
                allDigitsOrHex = false;
            }
        }
        if (!allDigitsOrHex) {
            return null; // a name made of hex letters, such as "cafe.be"... not numeric
        }
        String[] parts = host.split("\\.", -1);
        boolean canonical = parts.length == 4;
        for (String p : parts) {
            if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
                canonical = false;
            }
        }
        if (!canonical) {
            throw new IllegalArgumentException("numeric host " + host + " is not a dotted quad (decimal, octal and hex "
                    + "forms are refused for webhooks)");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(host, b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    static boolean internal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return internal4(b, 0);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local (fd00:ec2::254 is AWS metadata)
            }
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return internal4(b, 12); // ::ffff:a.b.c.d
            }
            if (isZero(b, 0, 12)) {
                return true; // ::a.b.c.d (IPv4-compatible, deprecated), :: and ::1
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && isZero(b, 4, 12)) {
                return internal4(b, 12); // 64:ff9b::/96 NAT64
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return internal4(b, 2); // 2002::/16 6to4
            }
            return (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8); // doc
        }
        return true;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean internal4(byte[] b, int o) {
        int x = b[o] & 0xff;
        int y = b[o + 1] & 0xff;
        return x == 0 || x == 10 || x == 127 || (x == 100 && y >= 64 && y <= 127) || (x == 169 && y == 254)
                || (x == 172 && y >= 16 && y <= 31) || (x == 192 && y == 168) || (x == 192 && y == 0
                        && (b[o + 2] & 0xff) == 0)
                || (x == 198 && (y == 18 || y == 19)) || x >= 224;
    }
}

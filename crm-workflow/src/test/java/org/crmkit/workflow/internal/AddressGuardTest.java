package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The address-refusal battery: every way of writing an address inside the network is refused. */
class AddressGuardTest {
    private static InetAddress ip(String host, int... b) throws UnknownHostException {
        byte[] bytes = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            bytes[i] = (byte) b[i];
        }
        return InetAddress.getByAddress(host, bytes);
    }

    private static final Map<String, List<InetAddress>> DNS;

    static {
        try {
            DNS = Map.of(
                    "public.example.test", List.of(ip("public.example.test", 93, 184, 216, 34)),
                    "rebind.example.test", List.of(ip("rebind.example.test", 93, 184, 216, 34),
                            ip("rebind.example.test", 192, 168, 1, 20)),
                    "loop.example.test", List.of(ip("loop.example.test", 127, 0, 0, 1)),
                    "meta.example.test", List.of(ip("meta.example.test", 169, 254, 169, 254)),
                    "v6private.example.test", List.of(InetAddress.getByName("[fd12:3456::1]")),
                    "mapped.example.test", List.of(InetAddress.getByAddress("mapped.example.test",
                            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3})));
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AddressGuard guard = new AddressGuard(Set.of("127.0.0.1", "Allowed.Internal"), host -> {
        List<InetAddress> a = DNS.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        return a;
    });

    @ParameterizedTest
    @ValueSource(strings = {
            // loopback, private, link-local, shared, unspecified, broadcast, multicast, benchmark, metadata
            "http://127.0.0.2/", "http://127.255.255.254/x", "http://10.0.0.1/", "http://172.16.0.1/",
            "http://172.31.255.1/",
            "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/",
            "http://100.64.0.1/",
            "http://0.0.0.0/", "http://255.255.255.255/", "http://224.0.0.1/", "http://198.18.0.1/",
            "http://192.0.0.8/",
            // IPv6 loopback, unspecified, unique-local (AWS metadata fd00:ec2::254), link-local, site-local, multicast
            "http://[::1]/", "http://[::]/", "http://[fd00:ec2::254]/", "http://[fc00::1]/", "http://[fe80::1%25eth0]/",
            "http://[fe80::1]/", "http://[fec0::1]/", "http://[ff02::1]/",
            // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms of inside addresses
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:10.0.0.1]/", "http://[0:0:0:0:0:ffff:c0a8:0101]/", "http://[::127.0.0.1]/",
            "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/",
            // decimal, octal, hex and short forms
            "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/",
            "http://0177.1/", "http://017700000001/", "http://0xa9fea9fe/", "http://3232235521/",
            "http://127.000.000.001/",
            "http://8.8.8.010/", "http://0x08080808/",
            // names that are inside by definition, and names whose DNS answers are inside
            "http://localhost/", "http://LOCALHOST./", "http://api.localhost/", "http://metadata.google.internal/",
            "http://metadata/", "http://something.internal/", "http://loop.example.test/", "http://meta.example.test/",
            "http://rebind.example.test/", "http://v6private.example.test/", "http://mapped.example.test/",
            "http://does-not-resolve.example.test/",
            // not http(s), user info, no host
            "ftp://public.example.test/", "file:///etc/passwd", "http://user:pw@public.example.test/", "http:///nohost",
            "gopher://127.0.0.1/", "not a url"})
    void refused(String url) {
        assertThat(guard.checkUrl(url, true)).as(url).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://public.example.test/hook", "http://93.184.216.34/", "https://[2606:4700::1111]/",
            "http://127.0.0.1:8080/allowed", "http://allowed.internal/", "https://8.8.8.8/", "http://172.32.0.1/",
            "http://100.128.0.1/", "http://11.0.0.1/"})
    void allowed(String url) {
        assertThat(guard.checkUrl(url, true)).as(url).isNull();
    }

    @Test
    void atSaveTimeNamesAreNotLookedUpButLiteralsAre() {
        assertThat(guard.checkUrl("http://rebind.example.test/", false)).isNull();
        assertThat(guard.checkUrl("http://10.1.2.3/", false)).contains("inside the network");
        assertThat(guard.checkUrl("http://2130706433/", false)).contains("not a dotted quad");
    }
}

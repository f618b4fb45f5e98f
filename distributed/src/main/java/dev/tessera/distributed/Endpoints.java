package dev.tessera.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a trainer listens: on loopback unless a network interface is named (trainers on several machines
 * must name the interface their peers reach them on), at a UDP port free when asked.
 */
public final class Endpoints {
    private Endpoints() {}

    /** An endpoint of this machine on {@code interfaceName}'s first IPv4 address (null: loopback), at a free port. */
    public static InetSocketAddress local(String interfaceName) {
        return free(List.of(address(interfaceName))).get(0);
    }

    /** The address trainers bind to: {@code interfaceName}'s first IPv4 address, or loopback when it is null. */
    static InetAddress address(String interfaceName) {
        if (interfaceName == null || interfaceName.isBlank()) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                throw new IllegalArgumentException("no network interface '" + interfaceName + "' on "
                        + InetAddress.getLocalHost().getHostName() + "; there are " + interfaceNames());
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
            throw new IllegalArgumentException("network interface '" + interfaceName + "' has no IPv4 address");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network interfaces", e);
        }
    }

    private static List<String> interfaceNames() throws SocketException {
        List<String> names = new ArrayList<>();
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            names.add(n.getName());
        }
        return names;
    }

    /** One endpoint per address, each at a UDP port that was free when asked (all held until all are found). */
    static List<InetSocketAddress> free(List<InetAddress> addresses) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : addresses) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, 0));
                held.add(s);
                out.add(new InetSocketAddress(a, s.getLocalPort()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free UDP ports on " + addresses, e);
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    /** Endpoints written as {@code host:port,host:port,...}. */
    public static String format(List<InetSocketAddress> endpoints) {
        StringBuilder b = new StringBuilder();
        for (InetSocketAddress e : endpoints) {
            b.append(b.length() == 0 ? "" : ",")
                    .append(e.getHostString())
                    .append(':')
                    .append(e.getPort());
        }
        return b.toString();
    }

    /** The endpoints {@link #format} wrote. */
    public static List<InetSocketAddress> parse(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String e : text.split(",")) {
            int colon = e.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("endpoint '" + e + "' is not host:port");
            }
            out.add(new InetSocketAddress(e.substring(0, colon), Integer.parseInt(e.substring(colon + 1))));
        }
        return out;
    }
}

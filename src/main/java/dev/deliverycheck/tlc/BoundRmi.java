package dev.deliverycheck.tlc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;

/**
 * Entry point of a distributed-TLC child JVM ({@code server} or {@code worker}) whose RMI
 * sockets listen on one address only. TLC's {@code TLCServer} and {@code TLCWorker} export
 * their remote objects (and the server its registry) with RMI's default socket factory, which
 * listens on every interface; installing a factory bound to {@value #BIND_PROPERTY} (default
 * 127.0.0.1) before handing over to TLC's {@code main} keeps a loopback run off the network, as
 * every server this project starts must be. A run meant for workers on other machines passes
 * the machine's address.
 *
 * <p>Usage: {@code java -cp <jar> dev.deliverycheck.tlc.BoundRmi server|worker <TLC's arguments>}.
 */
public final class BoundRmi {
    /** The address RMI listens on (and advertises, via {@code java.rmi.server.hostname}). */
    public static final String BIND_PROPERTY = "deliverycheck.rmi.bind";

    private BoundRmi() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("server") || args[0].equals("worker"))) {
            System.err.println("usage: BoundRmi server|worker <TLC arguments>");
            System.exit(2);
        }
        InetAddress bind = InetAddress.getByName(System.getProperty(BIND_PROPERTY, "127.0.0.1"));
        System.setProperty("java.rmi.server.hostname", bind.getHostAddress());
        RMISocketFactory.setSocketFactory(new BoundFactory(bind));
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("server")) {
            tlc2.tool.distributed.TLCServer.main(rest);
        } else {
            tlc2.tool.distributed.TLCWorker.main(rest);
        }
    }

    /** Listens on one address; connects anywhere (a worker dials the server's advertised address). */
    private static final class BoundFactory extends RMISocketFactory {
        private final InetAddress bind;

        BoundFactory(InetAddress bind) {
            this.bind = bind;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, bind);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(host, port);
        }
    }
}

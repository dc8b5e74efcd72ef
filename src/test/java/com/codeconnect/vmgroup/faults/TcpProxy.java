package com.codeconnect.vmgroup.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between the operator and the simulator, standing in for the network: it passes
 * connections through, or makes vCenter unreachable by resetting them or by swallowing them (a
 * firewall that drops packets: connected, but no answer ever). It counts every connection attempt,
 * which is how a test sees the operator's call rate while vCenter is down.
 */
final class TcpProxy implements AutoCloseable {
  enum Mode {
    /** Connections reach the simulator. */
    PASS,
    /**
     * Every connection is reset at once, as by a host that refuses or a load balancer without a
     * backend.
     */
    RESET,
    /**
     * Packets are dropped: new connections are accepted and never answered, and open ones stop
     * carrying data. Only the client's own timeouts end them.
     */
    BLACKHOLE
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ExecutorService pipes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tcp-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong attempts = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile boolean closed;

  private TcpProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to {@code targetPort} there. */
  static TcpProxy start(int targetPort) {
    try {
      ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      TcpProxy proxy =
          new TcpProxy(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
      Thread acceptor = new Thread(proxy::acceptLoop, "tcp-proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the proxy", e);
    }
  }

  /** The SDK URL of the simulator as seen through the proxy. */
  URI sdkUrl() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/sdk");
  }

  /** Connections attempted through the proxy so far, in any mode. */
  long attempts() {
    return attempts.get();
  }

  /**
   * Switches the mode. Connections already open are cut when resetting, and when passing again
   * (those that lived through a blackhole lost data); a blackhole leaves them hanging.
   */
  void mode(Mode mode) {
    this.mode = mode;
    if (mode != Mode.BLACKHOLE) {
      for (Socket s : open) {
        reset(s);
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      attempts.incrementAndGet();
      switch (mode) {
        case RESET -> reset(client);
        case BLACKHOLE -> {
          open.add(client);
          pipes.execute(() -> swallow(client));
        }
        case PASS -> pipes.execute(() -> connect(client));
      }
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5000);
    } catch (IOException e) {
      reset(client);
      close(upstream);
      return;
    }
    open.add(client);
    open.add(upstream);
    pipes.execute(() -> pump(client, upstream));
    pump(upstream, client);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (mode == Mode.BLACKHOLE) {
          continue; // dropped on the way
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // One side went away (or was cut by a mode switch): take the other side down with it.
      reset(to);
    } finally {
      open.remove(from);
      close(from);
    }
  }

  private void swallow(Socket client) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = client.getInputStream()) {
      while (in.read(buffer) >= 0) {
        // the request goes nowhere, and no answer comes back
      }
    } catch (IOException e) {
      // cut by a mode switch or by the client giving up
    } finally {
      open.remove(client);
      close(client);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    close(s);
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // the port is released either way
    }
    open.forEach(TcpProxy::reset);
    pipes.shutdownNow();
  }
}

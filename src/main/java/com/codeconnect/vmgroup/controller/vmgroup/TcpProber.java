package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.decision.Readiness;
import com.codeconnect.vmgroup.vsphere.MoRef;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The TCP checks of {@code spec.readiness.mode: tcp}: connection attempts from the operator to a
 * VM's address, run on a few threads of their own so no reconcile waits for a connection. A
 * reconcile starts a probe when one is due ({@link Readiness#probeDue}) and reads the latest result
 * of each VM; the verdict's recheck brings the group back once the probe's timeout has passed.
 * Nothing is sent: a connection that opens is closed at once.
 */
final class TcpProber implements AutoCloseable {
  /** Results older than this are dropped: their VM is gone, or no longer probed. */
  static final Duration KEEP = Duration.ofMinutes(10);

  private static final int THREADS = 4;

  private final Clock clock;
  private final Map<MoRef, Readiness.Probe> latest = new ConcurrentHashMap<>();
  private final Set<MoRef> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          THREADS,
          r -> {
            Thread t = new Thread(r, "tcp-readiness");
            t.setDaemon(true);
            return t;
          });

  TcpProber(Clock clock) {
    this.clock = clock;
  }

  /** The latest probe of this VM, or null. */
  Readiness.Probe latest(MoRef vm) {
    return latest.get(vm);
  }

  /** Probes {@code address:port} for this VM, unless a probe of it runs already. */
  void probe(MoRef vm, String address, int port, Duration timeout) {
    if (!running.add(vm)) {
      return;
    }
    try {
      pool.execute(
          () -> {
            try {
              latest.put(
                  vm,
                  new Readiness.Probe(address, connect(address, port, timeout), clock.instant()));
            } finally {
              running.remove(vm);
            }
          });
    } catch (RejectedExecutionException closed) {
      running.remove(vm);
    }
    Instant stale = clock.instant().minus(KEEP);
    latest.values().removeIf(p -> p.at().isBefore(stale));
  }

  private static Readiness.Outcome connect(String address, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      return Readiness.Outcome.CONNECTED;
    } catch (SocketTimeoutException e) {
      return Readiness.Outcome.TIMED_OUT;
    } catch (ConnectException e) {
      return e.getMessage() != null && e.getMessage().contains("refused")
          ? Readiness.Outcome.REFUSED
          : Readiness.Outcome.UNREACHABLE;
    } catch (NoRouteToHostException | IllegalArgumentException | SecurityException e) {
      return Readiness.Outcome.UNREACHABLE;
    } catch (IOException e) {
      return Readiness.Outcome.UNREACHABLE;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

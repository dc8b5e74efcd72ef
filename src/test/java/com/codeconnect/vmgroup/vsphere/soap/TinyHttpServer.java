package com.codeconnect.vmgroup.vsphere.soap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on loopback for the client fuzz test, with TCP_NODELAY: the JDK's HttpServer
 * takes its no-delay setting from a system property read once per JVM, and without it every call
 * waits for a delayed ACK (50 ms), which made thousands of cases take minutes.
 */
final class TinyHttpServer implements AutoCloseable {
  /** What to send: status, headers (each "Name: value"), body, and how. */
  record Response(int status, String[] headers, byte[] body, Mode mode, long dripMillis) {}

  enum Mode {
    /** Content-Length and the body. */
    WHOLE,
    /** The body, then filler without end (up to 640 MiB), with no length: the client must cut. */
    ENDLESS,
    /** Content-Length, then the body one byte at a time. */
    DRIP
  }

  private final ServerSocket socket;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Function<String, Response> handler;

  TinyHttpServer(Function<String, Response> handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::accept);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true);
        pool.execute(() -> serve(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream()) {
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        Response r = handler.apply(body);
        if (!write(out, r)) {
          return;
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the client refused, timed out or closed: that is what many cases are about
    }
  }

  /** False when the connection must close after this response. */
  private static boolean write(OutputStream out, Response r) throws IOException {
    StringBuilder h = new StringBuilder("HTTP/1.1 " + r.status() + " X\r\n");
    for (String header : r.headers()) {
      h.append(header).append("\r\n");
    }
    h.append("Content-Type: text/xml; charset=utf-8\r\n");
    if (r.mode() == Mode.ENDLESS) {
      h.append("Connection: close\r\n\r\n");
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(r.body());
      byte[] filler = new byte[64 * 1024];
      java.util.Arrays.fill(filler, (byte) 'a');
      for (int i = 0; i < 10_000; i++) {
        out.write(filler);
      }
      return false;
    }
    h.append("Content-Length: ").append(r.body().length).append("\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (r.mode() == Mode.DRIP) {
      for (byte b : r.body()) {
        out.write(b);
        out.flush();
        try {
          Thread.sleep(r.dripMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } else {
      out.write(r.body());
    }
    out.flush();
    return true;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    for (int c; (c = in.read()) >= 0; ) {
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (c == '\r' ? 1 : 0);
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
      if (b.size() > 64 * 1024) {
        return null;
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    pool.shutdownNow();
  }
}

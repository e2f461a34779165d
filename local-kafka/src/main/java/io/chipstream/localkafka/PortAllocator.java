package io.chipstream.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds free TCP ports and tells whether a given one can be bound. */
public final class PortAllocator {

  private PortAllocator() {}

  /** A port that was free on {@code host} a moment ago (the OS picks it). */
  public static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /**
   * A free port other than {@code taken}: the OS may hand the same ephemeral port out twice in a
   * row once the first socket is closed (it did, and a broker got one port for its client and
   * controller listeners).
   */
  public static int freePortOtherThan(String host, int taken) {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = freePort(host);
      if (port != taken) {
        return port;
      }
    }
    throw new IllegalStateException("the OS gave port " + taken + " on " + host
        + " twenty times in a row");
  }

  /** Whether {@code port} on {@code host} can be bound right now. */
  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

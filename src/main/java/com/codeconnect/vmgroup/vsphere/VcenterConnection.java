package com.codeconnect.vmgroup.vsphere;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What it takes to reach and log in to one vCenter; a {@link VsphereClientFactory} makes a client
 * of it.
 *
 * @param sdkUrl e.g. {@code https://vc.example.com/sdk}
 * @param credentials asked at every login, so rotated credentials take effect at the next one
 * @param timeout limit for each whole call, connection and response included
 * @param keepAlive when a session has seen no call for this long, one cheap call keeps it from
 *     expiring; {@link Duration#ZERO}: never
 */
public record VcenterConnection(
    URI sdkUrl,
    Supplier<Credentials> credentials,
    TlsChoice tls,
    Duration timeout,
    Duration keepAlive) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Well inside the 30 minutes after which vCenter drops an idle session. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

  public VcenterConnection {
    Objects.requireNonNull(sdkUrl, "sdkUrl");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(keepAlive, "keepAlive");
  }
}

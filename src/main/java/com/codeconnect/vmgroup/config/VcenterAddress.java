package com.codeconnect.vmgroup.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Turns VC_HOST (a host, host:port or URL) into the SDK endpoint URL. */
public final class VcenterAddress {
  private VcenterAddress() {}

  /**
   * @throws IllegalArgumentException with a message naming the problem (never echoing secrets:
   *     VC_HOST holds none, but user info in a URL is refused rather than repeated)
   */
  public static URI sdkUrl(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    String value = host.trim();
    String withScheme = value.contains("://") ? value : "https://" + value;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a host name, host:port or URL");
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      throw new IllegalArgumentException("must use https:// (or http:// for a local simulator)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("has no host name");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must not contain credentials; use VC_USER and VC_PASS instead");
    }
    String path =
        uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
            ? "/sdk"
            : uri.getPath();
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a valid URL");
    }
  }
}

package com.codeconnect.vmgroup.observability;

import com.codeconnect.vmgroup.vsphere.CallListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every vCenter call as the Timer {@code vcenter.calls} (Prometheus: {@code
 * vcenter_calls_seconds_count}, {@code _sum}, {@code _max} and {@code _bucket}), tagged by {@code
 * protocol} ({@code soap} or {@code rest}), {@code method} (the vim25 method, or the REST operation
 * such as {@code tag.attach}) and {@code outcome} ({@code ok} or the fault type). The percentile
 * histogram lets Prometheus compute latency quantiles across instances.
 *
 * <p>Register it with the client factory ({@code new SoapClients(metrics)}), which hands it to both
 * the SOAP client and its REST sibling. {@link #onCall} never blocks: after the first call of a
 * protocol/method/outcome triple it is a map lookup and an atomic update.
 */
public final class VcenterMetrics implements CallListener {
  public static final String TIMER = "vcenter.calls";
  // bounded by the client's call timeout (--vc-timeout, 60s by default)
  private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  private static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  public VcenterMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onCall(String protocol, String method, String outcome, Duration latency) {
    Key key = new Key(orUnknown(protocol), orUnknown(method), orUnknown(outcome));
    Timer timer = timers.computeIfAbsent(key, this::timer);
    timer.record(latency == null || latency.isNegative() ? Duration.ZERO : latency);
  }

  private Timer timer(Key key) {
    return Timer.builder(TIMER)
        .description(
            "vCenter calls by protocol (soap, rest), method or operation, and outcome (ok or the"
                + " fault type)")
        .tag("protocol", key.protocol())
        .tag("method", key.method())
        .tag("outcome", key.outcome())
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_EXPECTED)
        .maximumExpectedValue(MAX_EXPECTED)
        .register(registry);
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  private record Key(String protocol, String method, String outcome) {}
}

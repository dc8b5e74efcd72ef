package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.FailureDomainSpec;
import com.codeconnect.vmgroup.api.v1alpha1.GuestInfoCheck;
import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.TcpCheck;
import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of readiness, healthCheck, minReadySeconds, progressDeadlineSeconds, antiAffinity and
 * failure domains, for API servers that don't enforce the CRD's schema and CEL rules (see {@link
 * SpecValidator}).
 */
final class HealthValidator {
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

  private HealthValidator() {}

  static void validate(VmGroupSpec spec, UnboundSpec unbound, List<String> problems) {
    ReadinessSpec readiness = usable(unbound, "readiness") ? spec.getReadiness() : null;
    if (readiness != null) {
      readiness(readiness, problems);
    }
    if (usable(unbound, "healthCheck") && spec.getHealthCheck() != null) {
      healthCheck(spec.getHealthCheck(), readiness, problems);
    }
    Integer minReady = usable(unbound, "minReadySeconds") ? spec.getMinReadySeconds() : null;
    if (minReady != null && (minReady < 0 || minReady > VmGroupSpec.MAX_MIN_READY_SECONDS)) {
      problems.add(
          "spec.minReadySeconds must be between 0 and "
              + VmGroupSpec.MAX_MIN_READY_SECONDS
              + ", got "
              + minReady);
    }
    Integer deadline =
        usable(unbound, "progressDeadlineSeconds") ? spec.getProgressDeadlineSeconds() : null;
    if (deadline != null && deadline < 1) {
      problems.add("spec.progressDeadlineSeconds must be 1 or more, got " + deadline);
    } else if (deadline != null && minReady != null && deadline <= minReady) {
      problems.add(
          "spec.progressDeadlineSeconds ("
              + deadline
              + ") must be more than minReadySeconds ("
              + minReady
              + "): a new VM counts only after minReadySeconds");
    }
    if (usable(unbound, "placement") && spec.getPlacement() != null) {
      failureDomains(
          spec.getPlacement(),
          usable(unbound, "networks") && spec.getNetworks() != null ? spec.getNetworks().size() : 0,
          problems);
    }
  }

  private static void readiness(ReadinessSpec r, List<String> problems) {
    ReadinessSpec.Mode mode = r.effectiveMode();
    if ((r.getGuestInfo() != null) != (mode == ReadinessSpec.Mode.guestInfo)) {
      problems.add(
          "spec.readiness.guestInfo must be set exactly when mode is guestInfo (mode is "
              + mode
              + ")");
    }
    if ((r.getTcp() != null) != (mode == ReadinessSpec.Mode.tcp)) {
      problems.add(
          "spec.readiness.tcp must be set exactly when mode is tcp (mode is " + mode + ")");
    }
    Integer delay = r.getInitialDelaySeconds();
    if (delay != null && (delay < 0 || delay > ReadinessSpec.MAX_INITIAL_DELAY_SECONDS)) {
      problems.add(
          "spec.readiness.initialDelaySeconds must be between 0 and "
              + ReadinessSpec.MAX_INITIAL_DELAY_SECONDS
              + ", got "
              + delay);
    }
    GuestInfoCheck g = r.getGuestInfo();
    if (g != null
        && (g.getKey() == null
            || g.getKey().length() > 128
            || !g.getKey().matches(GuestInfoCheck.KEY_PATTERN))) {
      problems.add(
          "spec.readiness.guestInfo.key must start with "
              + GuestInfoCheck.KEY_PREFIX
              + " (the only guestinfo keys the operator reads), followed by letters, digits, '.',"
              + " '_' or '-', got '"
              + g.getKey()
              + "'");
    }
    if (g != null && g.getValue() != null && g.getValue().length() > 256) {
      problems.add("spec.readiness.guestInfo.value must be at most 256 characters");
    }
    TcpCheck t = r.getTcp();
    if (t != null) {
      range(problems, "spec.readiness.tcp.port", t.getPort(), 1, 65535, true);
      range(problems, "spec.readiness.tcp.timeoutSeconds", t.getTimeoutSeconds(), 1, 60, false);
      range(problems, "spec.readiness.tcp.periodSeconds", t.getPeriodSeconds(), 1, 3600, false);
    }
  }

  private static void healthCheck(HealthCheckSpec h, ReadinessSpec r, List<String> problems) {
    duration(problems, "unhealthyAfter", h.getUnhealthyAfter());
    Duration startup = duration(problems, "startupTimeout", h.getStartupTimeout());
    int delay = r == null ? 0 : r.effectiveInitialDelaySeconds();
    Duration effectiveStartup =
        h.getStartupTimeout() == null ? HealthCheckSpec.DEFAULT_STARTUP_TIMEOUT : startup;
    if (effectiveStartup != null && effectiveStartup.getSeconds() <= delay) {
      problems.add(
          "spec.healthCheck.startupTimeout ("
              + Healing.text(effectiveStartup)
              + ") must be longer than spec.readiness.initialDelaySeconds ("
              + delay
              + "s): every new VM would be replaced before its first check");
    }
    IntOrString max = h.getMaxUnhealthy();
    if (max != null) {
      boolean ok =
          max.getIntVal() != null
              ? max.getIntVal() >= 0
              : max.getStrVal() != null && max.getStrVal().matches("(100|[1-9]?[0-9])%");
      if (!ok) {
        problems.add(
            "spec.healthCheck.maxUnhealthy must be a number of VMs (0 or more) or a percentage"
                + " such as 30%, got '"
                + (max.getIntVal() != null ? max.getIntVal() : max.getStrVal())
                + "'");
      }
    }
  }

  private static Duration duration(List<String> problems, String name, String text) {
    if (text == null) {
      return null;
    }
    Duration d = HealthCheckSpec.parseDuration(text);
    String field = "spec.healthCheck." + name;
    if (d == null) {
      problems.add(
          field
              + " must be a duration such as 90s, 5m or 1h30m (h, m, s in that order), got '"
              + text
              + "'");
    } else if (d.compareTo(HealthCheckSpec.MIN_DURATION) < 0) {
      problems.add(
          field
              + " must be at least 10s, got "
              + text
              + ": shorter would replace VMs whose guest only paused");
      return null;
    }
    return d;
  }

  private static void failureDomains(PlacementSpec p, int networks, List<String> problems) {
    List<FailureDomainSpec> domains = p.getFailureDomains();
    if (domains == null) {
      return;
    }
    if (p.getResourcePool() != null) {
      problems.add(
          "spec.placement.failureDomains and spec.placement.resourcePool exclude each other: each"
              + " failure domain says where its VMs go");
    }
    if (domains.size() > FailureDomainSpec.MAX_DOMAINS) {
      problems.add(
          "spec.placement.failureDomains may list at most "
              + FailureDomainSpec.MAX_DOMAINS
              + ", got "
              + domains.size());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < domains.size(); i++) {
      FailureDomainSpec d = domains.get(i);
      String field = "spec.placement.failureDomains[" + i + "]";
      if (d.getName() == null || d.getName().length() > 63 || !d.getName().matches(DNS_LABEL)) {
        problems.add(
            field
                + ".name must be a DNS label (lower case letters, digits and '-'), got '"
                + d.getName()
                + "'");
      } else if (!seen.add(d.getName())) {
        problems.add(field + ".name '" + d.getName() + "' is listed twice; names must be unique");
      }
      if (d.getCluster() != null && d.getResourcePool() != null) {
        problems.add(field + " has a cluster or a resourcePool, not both");
      }
      if (d.reference() && (d.getDatastore() != null || d.getNetworks() != null)) {
        problems.add(
            field
                + " names a VCenter's failure domain (no cluster or resourcePool) and takes"
                + " everything from there: datastore and networks need a cluster or"
                + " resourcePool");
      }
      if (d.getNetworks() != null && d.getNetworks().size() != networks) {
        problems.add(
            field
                + ".networks names "
                + d.getNetworks().size()
                + " networks for the "
                + networks
                + " entries of spec.networks: one each, in order");
      }
    }
  }

  private static void range(
      List<String> problems, String field, Integer value, int min, int max, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else if (value < min || value > max) {
      problems.add(field + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static boolean usable(UnboundSpec unbound, String field) {
    return unbound == null || !unbound.unusable(field);
  }
}

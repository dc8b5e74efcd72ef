package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.decision.Networks;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the networks a group's spec.networks names, by name or inventory path ({@link Networks} is
 * the pure part). A datacenter's networks are one vCenter call, remembered for {@link
 * #REMEMBER_FOR} as templates are: a growing group needs them at every clone, and networks change
 * rarely. A name that matches nothing or several is looked up again at every reconcile, so a
 * network made later is found at once.
 */
public final class NetworkResolver {
  static final Duration REMEMBER_FOR = Duration.ofSeconds(10);

  private final VsphereClient client;
  private final Clock clock;
  private final Map<MoRef, Remembered> byDatacenter = new ConcurrentHashMap<>();

  private record Remembered(List<NetworkInfo> networks, Instant until) {}

  public NetworkResolver(VsphereClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The networks, in spec order, or the problem with the first that can't be used. */
  public sealed interface Result {}

  public record Found(List<NetworkInfo> networks) implements Result {}

  public record Missing(Problem problem) implements Result {}

  /**
   * @param allowed the VCenter's allowedNetworks (null: any network)
   * @param vcenter the VCenter's name, for the message
   */
  public Result resolve(
      Placement placement, List<NetworkSpec> wanted, List<String> allowed, String vcenter) {
    MoRef dc = placement.datacenter().ref();
    List<NetworkInfo> all = networks(dc, false);
    Result result = match(placement, wanted, all, allowed, vcenter);
    if (result instanceof Missing) {
      // a network added or renamed a moment ago: ask vCenter itself before saying no
      result = match(placement, wanted, networks(dc, true), allowed, vcenter);
    }
    return result;
  }

  /** Forgets what was read: the next lookup asks vCenter (e.g. after a clone failed). */
  public void forget() {
    byDatacenter.clear();
  }

  private Result match(
      Placement placement,
      List<NetworkSpec> wanted,
      List<NetworkInfo> all,
      List<String> allowed,
      String vcenter) {
    String dcPath = placement.datacenterPath();
    List<String> paths = all.stream().map(NetworkInfo::path).toList();
    List<NetworkInfo> found = new ArrayList<>();
    for (NetworkSpec n : wanted) {
      Networks.Resolution r = Networks.resolve(n.getName(), dcPath, paths);
      if (r instanceof Networks.Failed failed) {
        return new Missing(failed.problem());
      }
      String path = ((Networks.Found) r).path();
      NetworkInfo info = all.stream().filter(i -> path.equals(i.path())).findFirst().orElseThrow();
      if (info.backing().isEmpty()) {
        return new Missing(
            new Problem(
                Problem.Reason.NetworkNotFound,
                "network '"
                    + n.getName()
                    + "' is an opaque (NSX) network, which the operator can't attach a VM to;"
                    + " use a standard or distributed port group"));
      }
      found.add(info);
    }
    Problem refused =
        Networks.notAllowed(vcenter, allowed, found.stream().map(NetworkInfo::path).toList());
    return refused != null ? new Missing(refused) : new Found(List.copyOf(found));
  }

  private List<NetworkInfo> networks(MoRef dc, boolean fresh) {
    Instant now = clock.instant();
    Remembered r = byDatacenter.get(dc);
    if (!fresh && r != null && now.isBefore(r.until())) {
      return r.networks();
    }
    List<NetworkInfo> read = client.networks(dc);
    byDatacenter.put(dc, new Remembered(read, now.plus(REMEMBER_FOR)));
    return read;
  }
}

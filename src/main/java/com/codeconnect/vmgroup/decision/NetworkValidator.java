package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of spec.networks: adapters, address pools, subnets and gateways. The CRD states the
 * simple ones; whether addresses parse and fit their subnet only the operator can tell.
 */
final class NetworkValidator {
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*");

  private NetworkValidator() {}

  static void validate(VmGroupSpec spec, List<String> problems) {
    List<NetworkSpec> networks = spec.getNetworks();
    if (networks == null) {
      return;
    }
    if (networks.size() > VmGroupSpec.MAX_NETWORKS) {
      problems.add(
          "spec.networks has "
              + networks.size()
              + " entries; vSphere gives a VM at most "
              + VmGroupSpec.MAX_NETWORKS
              + " network adapters");
      return;
    }
    List<String> gateways = new ArrayList<>();
    List<AddressPool> pools = new ArrayList<>();
    for (int i = 0; i < networks.size(); i++) {
      String field = "spec.networks[" + i + "]";
      NetworkSpec n = networks.get(i);
      String name = n.getName();
      if (name == null || name.isBlank()) {
        problems.add(field + ".name is required and must not be empty");
        continue;
      }
      if (name.length() > 1024 || name.chars().anyMatch(Character::isISOControl)) {
        problems.add(field + ".name must be a network name or path without control characters");
        continue;
      }
      AddressPoolSpec a = n.getAddresses();
      if (a == null) {
        continue;
      }
      int before = problems.size();
      addresses(field + ".addresses", a, problems);
      if (problems.size() > before) {
        continue;
      }
      if (a.getGateway() != null) {
        gateways.add(field + ".addresses.gateway");
      }
      AddressPool pool = AddressPool.of(name, a);
      if (pool.size() == 0) {
        problems.add(field + ".addresses has no address to give: every one is the gateway");
      }
      for (int j = 0; j < pools.size(); j++) {
        AddressPool other = pools.get(j);
        if (other.network().equals(name) && pool.firstShared(other).isPresent()) {
          problems.add(
              field
                  + ".addresses shares "
                  + pool.firstShared(other).get()
                  + " and on with another adapter on network '"
                  + name
                  + "': one VM would have one address twice");
        }
      }
      pools.add(pool);
    }
    if (gateways.size() > 1) {
      problems.add(
          String.join(" and ", gateways)
              + " are both set: a VM gets one default route, so at most one network may have a"
              + " gateway");
    }
    boolean hasAddresses = networks.stream().anyMatch(n -> n.getAddresses() != null);
    if (hasAddresses && (spec.getBootstrap() == null || !spec.getBootstrap().configured())) {
      problems.add(
          "spec.networks has static addresses but spec.bootstrap is not set: cloudInit, linuxPrep"
              + " or sysprep applies them in the guest, nothing else does");
    }
  }

  /** One adapter's pool: each entry parses, and all of it lies in one subnet with the gateway. */
  private static void addresses(String field, AddressPoolSpec a, List<String> problems) {
    List<String> ranges = a.getRanges() == null ? List.of() : a.getRanges();
    List<String> cidrs = a.getCidrs() == null ? List.of() : a.getCidrs();
    if (ranges.isEmpty() && cidrs.isEmpty()) {
      problems.add(field + " needs ranges or cidrs (or both)");
      return;
    }
    if (ranges.size() > AddressPoolSpec.MAX_BLOCKS || cidrs.size() > AddressPoolSpec.MAX_BLOCKS) {
      problems.add(
          field + " may have at most " + AddressPoolSpec.MAX_BLOCKS + " ranges and as many cidrs");
      return;
    }
    List<Ipv4.Range> parsedRanges = new ArrayList<>();
    List<Ipv4.Cidr> parsedCidrs = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      try {
        parsedRanges.add(Ipv4.Range.parse(ranges.get(i)));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".ranges[" + i + "]: " + e.getMessage());
      }
    }
    for (int i = 0; i < cidrs.size(); i++) {
      try {
        parsedCidrs.add(Ipv4.Cidr.parse(cidrs.get(i)));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".cidrs[" + i + "]: " + e.getMessage());
      }
    }
    Ipv4.Address gateway = null;
    if (a.getGateway() != null) {
      try {
        gateway = Ipv4.Address.parse(a.getGateway());
      } catch (IllegalArgumentException e) {
        problems.add(field + ".gateway: " + e.getMessage());
      }
    }
    dns(field, a, problems);
    Integer prefix = a.getPrefix();
    if (prefix == null && !parsedCidrs.isEmpty()) {
      prefix = parsedCidrs.get(0).prefix();
    }
    if (prefix == null) {
      if (cidrs.isEmpty()) {
        problems.add(field + ".prefix is required when the pool has only ranges");
      }
      return;
    }
    if (prefix < 1 || prefix > 32) {
      problems.add(field + ".prefix must be between 1 and 32, got " + prefix);
      return;
    }
    if (parsedRanges.size() < ranges.size() || parsedCidrs.size() < cidrs.size()) {
      return; // the subnet can't be judged from a pool that doesn't parse
    }
    Ipv4.Address first =
        !parsedRanges.isEmpty() ? parsedRanges.get(0).first() : parsedCidrs.get(0).network();
    Ipv4.Cidr subnet = Ipv4.Cidr.containing(first, prefix);
    String inSubnet = " the subnet " + subnet + " (prefix " + prefix + ")";
    for (int i = 0; i < parsedRanges.size(); i++) {
      Ipv4.Range r = parsedRanges.get(i);
      String at = field + ".ranges[" + i + "] " + r;
      if (!subnet.contains(r.first()) || !subnet.contains(r.last())) {
        problems.add(at + " is not inside" + inSubnet);
      } else if (gateway != null && r.contains(gateway)) {
        problems.add(at + " includes the gateway " + gateway + ": leave it out of the range");
      } else if (prefix <= 30 && r.contains(subnet.network())) {
        problems.add(at + " includes the network address of" + inSubnet);
      } else if (prefix <= 30 && r.contains(subnet.broadcast())) {
        problems.add(at + " includes the broadcast address of" + inSubnet);
      }
    }
    for (int i = 0; i < parsedCidrs.size(); i++) {
      Ipv4.Cidr c = parsedCidrs.get(i);
      if (c.prefix() < prefix || !subnet.contains(c.network())) {
        problems.add(field + ".cidrs[" + i + "] " + c + " is not inside" + inSubnet);
      }
    }
    if (gateway != null && !subnet.contains(gateway)) {
      problems.add(field + ".gateway " + gateway + " is not inside" + inSubnet);
    } else if (gateway != null
        && prefix <= 30
        && (gateway.equals(subnet.network()) || gateway.equals(subnet.broadcast()))) {
      problems.add(
          field + ".gateway " + gateway + " is the network or broadcast address of" + inSubnet);
    }
  }

  private static void dns(String field, AddressPoolSpec a, List<String> problems) {
    List<String> servers = a.getDnsServers() == null ? List.of() : a.getDnsServers();
    if (servers.size() > AddressPoolSpec.MAX_DNS_SERVERS) {
      problems.add(
          field
              + ".dnsServers has "
              + servers.size()
              + " entries; a guest's resolver uses at most "
              + AddressPoolSpec.MAX_DNS_SERVERS);
    }
    for (int i = 0; i < servers.size(); i++) {
      try {
        Ipv4.Address.parse(servers.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".dnsServers[" + i + "]: " + e.getMessage());
      }
    }
    List<String> domains = a.getSearchDomains() == null ? List.of() : a.getSearchDomains();
    if (domains.size() > AddressPoolSpec.MAX_SEARCH_DOMAINS) {
      problems.add(
          field
              + ".searchDomains has "
              + domains.size()
              + " entries; at most "
              + AddressPoolSpec.MAX_SEARCH_DOMAINS
              + " are used");
    }
    for (int i = 0; i < domains.size(); i++) {
      String d = domains.get(i);
      if (d == null || d.length() > 253 || !DNS_NAME.matcher(d).matches()) {
        problems.add(field + ".searchDomains[" + i + "] must be a DNS domain such as example.com");
      }
    }
  }
}

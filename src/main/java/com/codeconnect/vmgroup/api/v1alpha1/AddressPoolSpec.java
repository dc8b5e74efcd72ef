package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** The static IPv4 addresses of one network adapter: a pool, and the subnet's settings. */
@ValidationRule(value = AddressPoolSpec.HAS_POOL, message = AddressPoolSpec.HAS_POOL_MESSAGE)
@ValidationRule(
    value = AddressPoolSpec.PREFIX_KNOWN,
    message = AddressPoolSpec.PREFIX_KNOWN_MESSAGE)
public class AddressPoolSpec {
  static final String HAS_POOL = "has(self.ranges) || has(self.cidrs)";
  static final String HAS_POOL_MESSAGE = "addresses need ranges or cidrs (or both)";
  static final String PREFIX_KNOWN = "has(self.prefix) || has(self.cidrs)";
  static final String PREFIX_KNOWN_MESSAGE =
      "prefix is required when the pool has only ranges: it can't be told from them";

  /** Ranges or CIDRs in one pool; plenty for one subnet. */
  public static final int MAX_BLOCKS = 16;

  /** resolv.conf's limit: more servers are ignored by the guest's resolver. */
  public static final int MAX_DNS_SERVERS = 3;

  /** glibc's historical limit of search domains. */
  public static final int MAX_SEARCH_DOMAINS = 6;

  @Size(min = 1, max = MAX_BLOCKS)
  @JsonPropertyDescription(
      "Address ranges 'first-last', both included, such as 10.0.0.10-10.0.0.50. A range must not"
          + " include the gateway or the subnet's network or broadcast address.")
  private List<String> ranges;

  @Size(min = 1, max = MAX_BLOCKS)
  @JsonPropertyDescription(
      "Address blocks such as 10.0.1.0/28, of which the usable host addresses go to the pool: all"
          + " but the block's network and broadcast addresses (all of a /31 or /32), and never the"
          + " gateway. The pool is the ranges, then the cidrs, in the order given, each address"
          + " once.")
  private List<String> cidrs;

  @Min(1)
  @Max(32)
  @JsonPropertyDescription(
      "Prefix length of the adapter's subnet, 1 to 32 (24 for a 255.255.255.0 netmask); every"
          + " address of the pool and the gateway must be in that subnet. Default: the prefix of"
          + " the first of cidrs; required when there are only ranges.")
  private Integer prefix;

  @Size(max = 15)
  @Pattern("^[0-9.]+$")
  @JsonPropertyDescription(
      "Default gateway (IPv4) through this adapter, inside the subnet. Optional; at most one of"
          + " spec.networks may have one.")
  private String gateway;

  @Size(max = MAX_DNS_SERVERS)
  @JsonPropertyDescription("DNS servers (IPv4), at most 3.")
  private List<String> dnsServers;

  @Size(max = MAX_SEARCH_DOMAINS)
  @JsonPropertyDescription("DNS search domains, such as example.com, at most 6.")
  private List<String> searchDomains;

  public AddressPoolSpec() {}

  public AddressPoolSpec(List<String> ranges, List<String> cidrs, Integer prefix, String gateway) {
    this.ranges = ranges;
    this.cidrs = cidrs;
    this.prefix = prefix;
    this.gateway = gateway;
  }

  public List<String> getRanges() {
    return ranges;
  }

  public void setRanges(List<String> ranges) {
    this.ranges = ranges;
  }

  public List<String> getCidrs() {
    return cidrs;
  }

  public void setCidrs(List<String> cidrs) {
    this.cidrs = cidrs;
  }

  public Integer getPrefix() {
    return prefix;
  }

  public void setPrefix(Integer prefix) {
    this.prefix = prefix;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  public List<String> getDnsServers() {
    return dnsServers;
  }

  public void setDnsServers(List<String> dnsServers) {
    this.dnsServers = dnsServers;
  }

  public List<String> getSearchDomains() {
    return searchDomains;
  }

  public void setSearchDomains(List<String> searchDomains) {
    this.searchDomains = searchDomains;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressPoolSpec a
        && Objects.equals(ranges, a.ranges)
        && Objects.equals(cidrs, a.cidrs)
        && Objects.equals(prefix, a.prefix)
        && Objects.equals(gateway, a.gateway)
        && Objects.equals(dnsServers, a.dnsServers)
        && Objects.equals(searchDomains, a.searchDomains);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ranges, cidrs, prefix, gateway, dnsServers, searchDomains);
  }

  @Override
  public String toString() {
    return "AddressPoolSpec{ranges="
        + ranges
        + ", cidrs="
        + cidrs
        + ", prefix="
        + prefix
        + ", gateway="
        + gateway
        + ", dnsServers="
        + dnsServers
        + ", searchDomains="
        + searchDomains
        + "}";
  }
}

package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One network adapter of each VM: the network it connects to, and how it gets its address. */
public class NetworkSpec {
  @Required
  @Size(max = 1024)
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Network to connect the adapter to: a standard port group such as 'VM Network', a"
          + " distributed port group such as DC0_DVPG0, or an opaque network, by name (unique in"
          + " the datacenter) or inventory path such as /DC0/network/DC0_DVPG0. When the VCenter"
          + " lists allowedNetworks, it must be one of them.")
  private String name;

  @JsonPropertyDescription(
      "Static IPv4 addresses for this adapter. The VM with index i always gets the pool's i-th"
          + " address, so a replaced VM keeps its address and no two VMs of the group share one;"
          + " the pool needs replicas + maxSurge addresses. Applied in the guest by"
          + " spec.bootstrap, which is then required. Not set: DHCP.")
  private AddressPoolSpec addresses;

  public NetworkSpec() {}

  public NetworkSpec(String name, AddressPoolSpec addresses) {
    this.name = name;
    this.addresses = addresses;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public AddressPoolSpec getAddresses() {
    return addresses;
  }

  public void setAddresses(AddressPoolSpec addresses) {
    this.addresses = addresses;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec n
        && Objects.equals(name, n.name)
        && Objects.equals(addresses, n.addresses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, addresses);
  }

  @Override
  public String toString() {
    return "NetworkSpec{name=" + name + ", addresses=" + addresses + "}";
  }
}

package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.BootDisk;
import com.codeconnect.vmgroup.decision.CloudInit;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.decision.SensitiveText;
import com.codeconnect.vmgroup.decision.StaticAddresses;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the vCenter calls of a VM's life carry, built from the group's spec and what the observer
 * found: the clone (size, NICs rebound to the spec's networks, disks, the guest's bootstrap, the
 * ownership markers, the Notes an administrator sees), the cloud-init metadata written after it,
 * and a boot disk grown in place. Everything per VM follows from its index, so a VM cloned again
 * under the same name gets the same addresses.
 */
final class CloneSpecs {
  private static final long KIB_PER_GIB = 1024L * 1024L;

  private CloneSpecs() {}

  /**
   * What a clone is made from besides the template's reference: the template's devices and the
   * spec's networks, resolved (empty when the spec names none), and the bootstrap Secret's value.
   */
  record Inputs(
      VmDetails template, List<NetworkInfo> networks, BootstrapSource.Bootstrap bootstrap) {}

  /** The Notes of every VM the operator makes: whose it is and where to change it. */
  static String annotation(VmGroup group) {
    return "Managed by vmgroup-operator for VmGroup "
        + group.getMetadata().getNamespace()
        + "/"
        + group.getMetadata().getName()
        + ": change the VmGroup, not this VM.";
  }

  /**
   * The clone of VM {@code c}.
   *
   * @param p where the VM goes: its failure domain's placement, or the group's
   * @param placed what the VM records about where it went (its failure domain), or nothing
   * @throws GroupStopped BootstrapTooLarge when the rendered user-data is over vSphere's limit
   */
  static CloneRequest clone(
      VmGroup group,
      ReplicaPlan.Desired desired,
      Action.Clone c,
      Placement p,
      MoRef folder,
      TemplateResolver.Found template,
      Inputs inputs,
      Map<String, String> placed) {
    VmGroupSpec spec = group.getSpec();
    Map<String, String> extraConfig =
        guestConfig(group, desired, c.index(), c.target(), inputs, placed);
    GuestCustomization customization =
        customization(group, desired, c.index(), c.target(), nicCount(inputs), inputs);
    CloneRequest request =
        new CloneRequest(
                template.ref(),
                folder,
                p.resourcePool(),
                p.datastore(),
                c.target(),
                desired.cpu(),
                desired.memoryMiB(),
                extraConfig,
                template.linkedSnapshot(),
                !desired.metadataAfterClone())
            .withAnnotation(annotation(group))
            .withDeviceChanges(devices(spec, inputs));
    if (spec.getCoresPerSocket() != null) {
      request = request.withCoresPerSocket(spec.getCoresPerSocket());
    }
    return customization == null ? request : request.withCustomization(customization);
  }

  /**
   * The guest customization (LinuxPrep or Sysprep) of VM {@code index}, or null when the spec asks
   * for none (cloud-init travels in extraConfig instead).
   *
   * @param nicCount how many NICs the VM has: vCenter wants one adapter setting per NIC, in order
   */
  static GuestCustomization customization(
      VmGroup group,
      ReplicaPlan.Desired desired,
      int index,
      String name,
      int nicCount,
      Inputs inputs) {
    BootstrapSpec bootstrap = group.getSpec().getBootstrap();
    List<StaticAddresses.Nic> nics = desired.addresses().forIndex(index);
    if (bootstrap != null && bootstrap.getLinuxPrep() != null) {
      var prep =
          com.codeconnect.vmgroup.decision.GuestCustomization.linuxPrep(
              bootstrap.getLinuxPrep(), name, nics);
      return new GuestCustomization.LinuxPrep(
          prep.hostName(),
          prep.domain(),
          prep.timeZone(),
          perNic(prep.adapters(), nics, nicCount),
          prep.dnsServers(),
          prep.dnsSuffixes());
    }
    if (bootstrap != null && bootstrap.getSysprep() != null) {
      var prep =
          com.codeconnect.vmgroup.decision.GuestCustomization.sysprep(
              inputs.bootstrap().secret().value(), vars(group, index, name), nics);
      return new GuestCustomization.Sysprep(
          prep.unattend().value(),
          perNic(prep.adapters(), nics, nicCount),
          prep.dnsServers(),
          prep.dnsSuffixes());
    }
    return null;
  }

  /**
   * What a new VM's extraConfig holds: the ownership markers with the spec's hashes, its failure
   * domain and, for cloud-init, the guest's user-data and metadata.
   */
  private static Map<String, String> guestConfig(
      VmGroup group,
      ReplicaPlan.Desired desired,
      int index,
      String target,
      Inputs inputs,
      Map<String, String> placed) {
    VmGroupSpec spec = group.getSpec();
    Map<String, String> extraConfig =
        new HashMap<>(
            Ownership.markers(
                group.getMetadata().getUid(),
                group.getMetadata().getNamespace(),
                group.getMetadata().getName(),
                index,
                desired.hash(),
                desired.addresses().addressesOf(index),
                bootDiskMarker(spec, inputs)));
    extraConfig.putAll(placed);
    BootstrapSpec bootstrap = spec.getBootstrap();
    if (bootstrap != null && bootstrap.getCloudInit() != null) {
      String instanceId = UUID.randomUUID().toString();
      extraConfig.put(Ownership.INSTANCE_ID, instanceId);
      SensitiveText userData =
          CloudInit.userData(userDataSource(bootstrap, inputs), vars(group, index, target));
      // With static addresses the metadata names the NICs' MACs, which vCenter assigns in the
      // clone: it is written afterwards (WriteMetadata), before the first power-on.
      String metadata =
          desired.metadataAfterClone()
              ? CloudInit.metadata(instanceId, target, List.of(), null)
              : CloudInit.metadata(instanceId, target, desired.addresses().forIndex(index), null);
      extraConfig.putAll(checked(CloudInit.guestInfo(userData, metadata)).extraConfig());
    }
    return extraConfig;
  }

  /** The Notes of a VM deployed from a content library: the usual ones and the deploy token. */
  static String deployedAnnotation(VmGroup group) {
    return annotation(group) + " " + Ownership.deployToken(group.getMetadata().getUid());
  }

  /**
   * The reconfigure that makes a VM deployed from a content library the group's, before its first
   * power-on: what a clone carries in its own call, with the deployed VM's devices in the place of
   * the template's.
   *
   * @param deployed the deployed VM's devices and Notes
   * @param placed what the VM records about where it went (its failure domain), or nothing
   */
  static VmChange finish(
      VmGroup group,
      ReplicaPlan.Desired desired,
      Action.FinishDeploy f,
      Inputs inputs,
      VmDetails deployed,
      Map<String, String> placed) {
    VmGroupSpec spec = group.getSpec();
    int index = ReplicaPlan.indexOf(group.getMetadata().getName(), f.vm()).orElseThrow();
    Inputs own =
        new Inputs(
            deployed,
            inputs == null ? List.of() : inputs.networks(),
            inputs == null ? null : inputs.bootstrap());
    Map<String, String> extraConfig =
        guestConfig(group, desired, index, f.vm().name(), own, placed);
    if (spec.getBootstrap() != null
        && (spec.getBootstrap().getLinuxPrep() != null
            || spec.getBootstrap().getSysprep() != null)) {
      extraConfig.put(Ownership.CUSTOMIZATION, "pending");
    }
    return new VmChange(
        desired.cpu(),
        spec.getCoresPerSocket() == null ? 0 : spec.getCoresPerSocket(),
        desired.memoryMiB(),
        extraConfig,
        deployedAnnotation(group),
        devices(spec, own));
  }

  /**
   * The cloud-init metadata of a fresh clone, now that vCenter has given its NICs their MACs, and
   * the marker that says it is written.
   */
  static VmChange metadata(
      VmGroup group, ReplicaPlan.Desired desired, VmInfo vm, VmDetails details) {
    int index = ReplicaPlan.indexOf(group.getMetadata().getName(), vm).orElseThrow();
    String instanceId = vm.extraConfig().getOrDefault(Ownership.INSTANCE_ID, vm.instanceUuid());
    List<String> macs = details.nics().stream().map(VmDetails.Nic::macAddress).toList();
    String metadata =
        CloudInit.metadata(instanceId, vm.name(), desired.addresses().forIndex(index), macs);
    Map<String, String> entries =
        new HashMap<>(checked(CloudInit.guestInfo(null, metadata)).extraConfig());
    entries.put(Ownership.METADATA_WRITTEN, "true");
    return new VmChange(0, 0, 0, entries, null, List.of());
  }

  /** A running VM's boot disk grown to {@code sizeGiB}, and the size recorded in the same task. */
  static VmChange growDisk(Action.GrowDisk grow, VmDetails details) {
    VmDetails.Disk boot =
        details
            .bootDisk()
            .orElseThrow(
                () -> new IllegalStateException("VM '" + grow.vm().name() + "' has no disk"));
    return new VmChange(
        0,
        0,
        0,
        Map.of(Ownership.BOOT_DISK_GIB, Integer.toString(grow.sizeGiB())),
        null,
        List.of(new DeviceChange.GrowDisk(boot, grow.sizeGiB() * KIB_PER_GIB)));
  }

  /** The template's boot disk in GiB, rounded up; null when its devices weren't read. */
  static Integer templateDiskGiB(VmDetails template) {
    return template == null
        ? null
        : template
            .bootDisk()
            .map(d -> (int) ((d.capacityKiB() + KIB_PER_GIB - 1) / KIB_PER_GIB))
            .orElse(null);
  }

  /**
   * The NICs rebound in order to the spec's networks, one more vmxnet3 NIC per extra network, the
   * boot disk grown to the spec's size and the extra disks added on the boot disk's controller.
   */
  private static List<DeviceChange> devices(VmGroupSpec spec, Inputs inputs) {
    List<DeviceChange> changes = new ArrayList<>();
    if (inputs == null || inputs.template() == null) {
      // the template's devices are read only when the spec changes any of them
      return changes;
    }
    List<VmDetails.Nic> templateNics = inputs.template().nics();
    List<NetworkInfo> networks = inputs.networks();
    for (int i = 0; i < networks.size(); i++) {
      var backing = networks.get(i).backing().orElseThrow();
      changes.add(
          i < templateNics.size()
              ? new DeviceChange.RebindNic(templateNics.get(i), backing)
              : new DeviceChange.AddNic(backing));
    }
    VmDetails.Disk boot = inputs.template().bootDisk().orElse(null);
    Integer grow = BootDisk.atClone(spec.bootDiskGiB(), templateDiskGiB(inputs.template()));
    if (grow != null && boot != null) {
      changes.add(new DeviceChange.GrowDisk(boot, grow * KIB_PER_GIB));
    }
    List<ExtraDiskSpec> extra = spec.getExtraDisks() == null ? List.of() : spec.getExtraDisks();
    if (!extra.isEmpty()) {
      if (boot == null) {
        throw new GroupStopped(
            new Problem(
                Problem.Reason.InvalidSpec,
                "spec.extraDisks: the template has no disk whose controller they could join"),
            "Clone",
            RequeuePolicy.PROBLEM_RETRY);
      }
      VmDetails.Controller controller =
          inputs.template().controller(boot.controllerKey()).orElseThrow();
      Set<Integer> taken = new HashSet<>(controller.unitsInUse());
      for (ExtraDiskSpec d : extra) {
        int unit = nextUnit(controller, taken);
        taken.add(unit);
        changes.add(
            new DeviceChange.AddDisk(
                controller.key(),
                unit,
                d.getSizeGiB() * KIB_PER_GIB,
                d.getProvisioning() != ExtraDiskSpec.Provisioning.thick));
      }
    }
    return changes;
  }

  private static int nextUnit(VmDetails.Controller controller, Set<Integer> taken) {
    VmDetails.Controller now =
        new VmDetails.Controller(
            controller.key(), controller.type(), controller.busNumber(), taken);
    return now.firstFreeUnit()
        .orElseThrow(
            () ->
                new GroupStopped(
                    new Problem(
                        Problem.Reason.InvalidSpec,
                        "spec.extraDisks: the template's disk controller has no free unit left"),
                    "Clone",
                    RequeuePolicy.PROBLEM_RETRY));
  }

  /** The boot disk size recorded on a new VM: what it is cloned with, when that is known. */
  private static Integer bootDiskMarker(VmGroupSpec spec, Inputs inputs) {
    Integer templateGiB = inputs == null ? null : templateDiskGiB(inputs.template());
    Integer grown = BootDisk.atClone(spec.bootDiskGiB(), templateGiB);
    if (grown != null) {
      return grown;
    }
    return spec.bootDiskGiB() == null ? null : templateGiB;
  }

  /** How many NICs the clone has: the template's, plus one per network beyond them. */
  private static int nicCount(Inputs inputs) {
    if (inputs == null) {
      return 0;
    }
    int templateNics = inputs.template() == null ? 0 : inputs.template().nics().size();
    return Math.max(templateNics, inputs.networks().size());
  }

  /** vCenter wants one adapter setting per NIC of the VM, in order: DHCP for the rest. */
  private static List<GuestCustomization.IpSettings> perNic(
      List<com.codeconnect.vmgroup.decision.GuestCustomization.Adapter> adapters,
      List<StaticAddresses.Nic> nics,
      int nicCount) {
    List<GuestCustomization.IpSettings> out = new ArrayList<>();
    for (int i = 0; i < Math.max(nicCount, adapters.size()); i++) {
      if (i >= adapters.size() || adapters.get(i).address() == null) {
        out.add(GuestCustomization.IpSettings.DHCP);
      } else {
        var a = adapters.get(i);
        out.add(
            GuestCustomization.IpSettings.fixed(a.address(), nics.get(i).prefix(), a.gateway()));
      }
    }
    return out;
  }

  private static String userDataSource(BootstrapSpec bootstrap, Inputs inputs) {
    if (bootstrap.getCloudInit().getUserData() != null) {
      return bootstrap.getCloudInit().getUserData();
    }
    return inputs.bootstrap().secret().value();
  }

  private static CloudInit.Variables vars(VmGroup group, int index, String name) {
    return new CloudInit.Variables(
        name, index, group.getMetadata().getName(), group.getMetadata().getNamespace());
  }

  private static CloudInit.GuestInfo checked(CloudInit.GuestInfo info) {
    Problem tooLarge = info.problem();
    if (tooLarge != null) {
      throw new GroupStopped(tooLarge, "Clone", RequeuePolicy.PROBLEM_RETRY);
    }
    return info;
  }
}

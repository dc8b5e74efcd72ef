package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an administrator does to the in-memory vCenter behind the operator's back. Each action takes
 * effect at once (no task), is reported to open change feeds like any change, and is neither
 * counted as a client call nor stopped by injected faults or unreachability.
 */
public final class Administrator {
  private final VcenterCore core;

  Administrator(VcenterCore core) {
    this.core = core;
  }

  /** A foreign VM: 1 vCPU, 32 MiB, powered off, no markers, on the first resource pool. */
  public MoRef addVm(MoRef folder, String name) {
    return addVm(folder, name, 1, 32, PowerState.POWERED_OFF, Map.of());
  }

  public MoRef addVm(
      MoRef folder,
      String name,
      int cpu,
      long memoryMiB,
      PowerState power,
      Map<String, String> extraConfig) {
    return core.admin(
        () -> {
          requireFolder(folder);
          Entity taken = core.inventory.childNamed(folder, name);
          if (taken != null) {
            throw VcenterCore.duplicateName(name, taken.ref);
          }
          VmState s =
              FakeInventory.vmState(
                      power,
                      cpu,
                      memoryMiB,
                      false,
                      core.inventory.ofType("ResourcePool").get(0).ref,
                      core.inventory.ofType("Datastore").get(0).ref)
                  .withExtraConfig(extraConfig);
          return core.inventory.addVm(folder, name, s, core.clock.instant()).ref;
        });
  }

  public MoRef createFolder(MoRef parent, String name) {
    return core.admin(
        () -> {
          requireFolder(parent);
          Entity taken = core.inventory.childNamed(parent, name);
          if (taken != null) {
            throw VcenterCore.duplicateName(name, taken.ref);
          }
          return core.inventory.createFolder(parent, name, core.clock.instant()).ref;
        });
  }

  public void powerOn(MoRef vm) {
    setPower(vm, PowerState.POWERED_ON);
  }

  public void powerOff(MoRef vm) {
    setPower(vm, PowerState.POWERED_OFF);
  }

  /** Powering on boots the guest, which applies a pending customization. */
  private void setPower(MoRef vm, PowerState power) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          if (power == PowerState.POWERED_ON && e.vm.power() != PowerState.POWERED_ON) {
            core.poweredOn(e, core.clock.instant());
          } else if (power == PowerState.POWERED_OFF && e.vm.power() == PowerState.POWERED_ON) {
            core.poweredOff(e, core.clock.instant());
          } else {
            core.inventory.updateVm(e, e.vm.withPower(power), core.clock.instant());
          }
          return null;
        });
  }

  /** A VM is powered off and deleted; a folder goes with everything in it. */
  public void destroy(MoRef entity) {
    core.admin(
        () -> {
          core.inventory.remove(core.inventory.require(entity), core.clock.instant());
          return null;
        });
  }

  public void rename(MoRef entity, String newName) {
    core.admin(
        () -> {
          Entity e = core.inventory.require(entity);
          Entity taken = core.inventory.childNamed(e.parent, newName);
          if (taken != null && taken != e) {
            throw VcenterCore.duplicateName(newName, taken.ref);
          }
          core.inventory.rename(e, newName, core.clock.instant());
          return null;
        });
  }

  /** Drags a VM into another folder; it leaves feeds rooted where it was, enters the others. */
  public void moveVm(MoRef vm, MoRef folder) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          requireFolder(folder);
          core.inventory.move(e, folder, core.clock.instant());
          return null;
        });
  }

  /** Sets extraConfig entries; an empty value removes the key, as in vSphere. */
  public void setExtraConfig(MoRef vm, Map<String, String> entries) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          core.inventory.updateVm(e, e.vm.withExtraConfig(entries), core.clock.instant());
          return null;
        });
  }

  /** What VMware Tools would report as the guest's address; null clears it. */
  public void setIpAddress(MoRef vm, String ip) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          core.inventory.updateVm(e, e.vm.withIpAddress(ip), core.clock.instant());
          return null;
        });
  }

  // ---------------------------------------------------------------- the guest, as Tools reports it

  /**
   * What VMware Tools reports: whether it runs, and the heartbeat. A guest becoming ready after
   * {@link InMemoryVcenterBuilder#guestReadyAfter} no longer does once set here.
   */
  public void setGuest(MoRef vm, ToolsStatus tools, Heartbeat heartbeat) {
    changeGuest(
        vm, s -> s.withGuest(s.guest().withTools(tools).withHeartbeat(heartbeat), s.ipAddress()));
  }

  /** The guest's addresses, in NIC order; the first becomes the primary one, none clears both. */
  public void setGuestIps(MoRef vm, List<String> ips) {
    changeGuest(
        vm, s -> s.withGuest(s.guest().withIpAddresses(ips), ips.isEmpty() ? null : ips.get(0)));
  }

  /**
   * A guestinfo key as the guest writes it ({@code vmware-rpctool "info-set KEY VALUE"}), which
   * vCenter shows in the VM's extraConfig; an empty value removes it.
   */
  public void setGuestInfo(MoRef vm, String key, String value) {
    if (!key.startsWith("guestinfo.")) {
      throw new IllegalArgumentException("a guest can only write guestinfo keys: " + key);
    }
    changeGuest(vm, s -> s.withExtraConfig(java.util.Collections.singletonMap(key, value)));
  }

  private void changeGuest(MoRef vm, java.util.function.UnaryOperator<VmState> change) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          core.guests.cancel(vm);
          core.inventory.updateVm(e, change.apply(e.vm), core.clock.instant());
          return null;
        });
  }

  // ---------------------------------------------------------------- clusters

  /** Turns DRS on or off, as an administrator editing the cluster would. */
  public void setDrsEnabled(MoRef cluster, boolean enabled) {
    core.admin(
        () -> {
          core.clusters.setDrs(requireCluster(cluster), enabled, core.clock.instant());
          return null;
        });
  }

  /** An administrator's rule of any kind (its key is ignored); returns the key vCenter gave it. */
  public int addRule(MoRef cluster, VmRule rule) {
    return core.admin(() -> core.clusters.add(requireCluster(cluster), rule, core.clock.instant()));
  }

  /** Replaces the rule with the same key, as an administrator editing it would. */
  public void editRule(MoRef cluster, VmRule rule) {
    core.admin(
        () -> {
          core.clusters.replace(requireCluster(cluster), rule, core.clock.instant());
          return null;
        });
  }

  public void removeRule(MoRef cluster, int key) {
    core.admin(
        () -> {
          core.clusters.remove(requireCluster(cluster), key, core.clock.instant());
          return null;
        });
  }

  /** A cluster's rules as they are now. */
  public List<VmRule> rules(MoRef cluster) {
    return core.admin(() -> List.copyOf(requireCluster(cluster).rules.rules));
  }

  private Entity requireCluster(MoRef cluster) {
    Entity e = core.inventory.require(cluster);
    if (e.rules == null) {
      throw new IllegalArgumentException(cluster + " is not a cluster");
    }
    return e;
  }

  /** The VM as a client with the vCenter's marker prefix reads it, if it exists. */
  public Optional<VmInfo> vm(MoRef vm) {
    return core.admin(
        () -> {
          Entity e = core.inventory.get(vm);
          return e == null || !e.isVm() ? Optional.empty() : Optional.of(e.vmInfo(core.prefix));
        });
  }

  /** A local content library; returns its id. Names need not be unique, as in vCenter. */
  public String addLibrary(String name) {
    return core.admin(() -> core.libraries.addLibrary(name));
  }

  /**
   * An item of a library whose package has the hardware of {@code source} (a VM or template of the
   * inventory); returns its id. Its content version starts at 1.
   */
  public String addLibraryItem(String libraryId, String name, LibraryItem.Kind kind, MoRef source) {
    return core.admin(() -> core.libraries.addItem(libraryId, name, kind, source));
  }

  /** Uploads new content to the items of that name; returns the new content version. */
  public String publishLibraryItem(String item) {
    return core.admin(() -> core.libraries.publish(item));
  }

  public TagCategory addTagCategory(String name) {
    return core.admin(() -> core.metadata.addCategory(name));
  }

  public Tag addTag(TagCategory category, String name) {
    return core.admin(() -> core.metadata.addTag(category, name));
  }

  public void attachTag(Tag tag, MoRef object) {
    core.admin(
        () -> {
          core.metadata.attach(tag.id(), object);
          return null;
        });
  }

  public void detachTag(Tag tag, MoRef object) {
    core.admin(
        () -> {
          core.metadata.detach(tag.id(), object);
          return null;
        });
  }

  public List<String> attachedTags(MoRef object) {
    return core.admin(() -> core.metadata.attached(object));
  }

  /**
   * @param type the managed object type the field is for, or null for every type
   */
  public CustomFieldDef addCustomField(String name, String type) {
    return core.admin(() -> core.metadata.addField(name, type));
  }

  /** Deletes a custom attribute's definition, as vCenter's UI does. */
  public void removeCustomField(int key) {
    core.admin(
        () -> {
          core.metadata.removeField(key);
          return null;
        });
  }

  /** Sets (or, with an empty value, clears) a VM's custom value; feeds report it. */
  public void setCustomValue(MoRef vm, int fieldKey, String value) {
    core.admin(
        () -> {
          Entity e = requireVm(vm);
          core.inventory.updateVm(e, e.vm.withCustomValue(fieldKey, value), core.clock.instant());
          return null;
        });
  }

  public Map<Integer, String> customValues(MoRef vm) {
    return core.admin(() -> requireVm(vm).vm.customValues());
  }

  /** Every extraConfig entry of a VM, the ones without the marker prefix included. */
  public Map<String, String> extraConfig(MoRef vm) {
    return core.admin(() -> requireVm(vm).vm.extraConfig());
  }

  /** The object at an inventory path, e.g. {@code /DC0/vm/web-0}, if any. */
  public Optional<MoRef> find(String path) {
    return core.admin(() -> core.inventory.findByPath(path));
  }

  /**
   * The VMs of every folder directly in {@code folder}, by the folder's name, in one look: what a
   * benchmark checks a fleet of groups against without making client calls.
   */
  public Map<String, List<VmInfo>> vmsByChildFolder(MoRef folder) {
    return core.admin(
        () -> {
          Map<String, List<VmInfo>> out = new LinkedHashMap<>();
          for (MoRef c : core.inventory.require(folder).children) {
            Entity f = core.inventory.get(c);
            if (f.isFolder()) {
              out.put(
                  f.name,
                  f.children.stream()
                      .map(core.inventory::get)
                      .filter(Entity::isVm)
                      .map(e -> e.vmInfo(core.prefix))
                      .toList());
            }
          }
          return out;
        });
  }

  /** The inventory path of the resource pool a VM runs in, e.g. /DC0/host/DC0_C1/Resources. */
  public String poolOf(MoRef vm) {
    return core.admin(() -> core.inventory.path(requireVm(vm).vm.pool()));
  }

  /** The inventory path of an object, e.g. {@code /DC0/vm/web-0}; empty if it doesn't exist. */
  public Optional<String> path(MoRef ref) {
    return core.admin(
        () ->
            core.inventory.get(ref) == null
                ? Optional.empty()
                : Optional.of(core.inventory.path(ref)));
  }

  /** vCenter drops the session (e.g. idle timeout): the next call logs in again. */
  public void expireSession() {
    core.withLock(() -> core.loggedIn = false);
  }

  /** vCenter forgets a finished task, as it does after a while; false if it is still running. */
  public boolean forgetTask(TaskRef task) {
    return core.admin(() -> core.tasks.forget(task.ref()));
  }

  public void forgetFinishedTasks() {
    core.admin(
        () -> {
          core.tasks.forgetFinished();
          return null;
        });
  }

  private Entity requireVm(MoRef vm) {
    Entity e = core.inventory.require(vm);
    if (!e.isVm()) {
      throw new IllegalArgumentException(vm + " is not a VM");
    }
    return e;
  }

  private void requireFolder(MoRef folder) {
    if (!core.inventory.require(folder).isFolder()) {
      throw new IllegalArgumentException(folder + " is not a folder");
    }
  }
}

package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.DiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a VM's shape beyond cpu and memory: cores per socket, disks and the bootstrap. The
 * CRD states them too (schema and CEL); the operator repeats them for API servers that don't.
 */
final class ShapeValidator {
  private ShapeValidator() {}

  static void validate(VmGroupSpec spec, UnboundSpec unbound, List<String> problems) {
    if (usable(unbound, "coresPerSocket") && spec.getCoresPerSocket() != null) {
      int cores = spec.getCoresPerSocket();
      if (cores < 1 || cores > VmGroupSpec.MAX_CPU) {
        problems.add(
            "spec.coresPerSocket must be between 1 and " + VmGroupSpec.MAX_CPU + ", got " + cores);
      } else if (usable(unbound, "cpu")
          && spec.getCpu() != null
          && spec.getCpu() >= VmGroupSpec.MIN_CPU
          && spec.getCpu() % cores != 0) {
        problems.add(
            "spec.cpu "
                + spec.getCpu()
                + " is not a multiple of spec.coresPerSocket "
                + cores
                + ": every socket has the same number of cores");
      }
    }
    if (usable(unbound, "disk")) {
      disk(spec, problems);
    }
    if (usable(unbound, "extraDisks")) {
      extraDisks(spec.getExtraDisks(), problems);
    }
    if (usable(unbound, "bootstrap")) {
      bootstrap(spec.getBootstrap(), problems);
    }
  }

  private static void disk(VmGroupSpec spec, List<String> problems) {
    DiskSpec disk = spec.getDisk();
    if (disk == null || disk.getSizeGiB() == null) {
      return;
    }
    String size = size("spec.disk.sizeGiB", disk.getSizeGiB());
    if (size != null) {
      problems.add(size);
    } else if (spec.getCloneMode() == VmGroupSpec.CloneMode.linked) {
      problems.add(
          "spec.disk.sizeGiB can't be used with cloneMode linked: a linked clone's disk is a"
              + " delta of the template's snapshot, which vSphere can't grow");
    }
  }

  private static void extraDisks(List<ExtraDiskSpec> disks, List<String> problems) {
    if (disks == null) {
      return;
    }
    if (disks.size() > VmGroupSpec.MAX_EXTRA_DISKS) {
      problems.add(
          "spec.extraDisks has "
              + disks.size()
              + " entries; at most "
              + VmGroupSpec.MAX_EXTRA_DISKS
              + " fit on the boot disk's SCSI controller");
      return;
    }
    for (int i = 0; i < disks.size(); i++) {
      ExtraDiskSpec d = disks.get(i);
      String field = "spec.extraDisks[" + i + "].sizeGiB";
      String size = d.getSizeGiB() == null ? field + " is required" : size(field, d.getSizeGiB());
      if (size != null) {
        problems.add(size);
      }
    }
  }

  private static String size(String field, int gib) {
    return gib < 1 || gib > DiskSpec.MAX_GIB
        ? field + " must be between 1 and " + DiskSpec.MAX_GIB + " (62 TiB), got " + gib
        : null;
  }

  private static void bootstrap(BootstrapSpec b, List<String> problems) {
    if (b == null) {
      return;
    }
    List<String> set = new ArrayList<>();
    if (b.getCloudInit() != null) {
      set.add("cloudInit");
    }
    if (b.getLinuxPrep() != null) {
      set.add("linuxPrep");
    }
    if (b.getSysprep() != null) {
      set.add("sysprep");
    }
    if (set.size() > 1) {
      problems.add(
          "spec.bootstrap sets "
              + String.join(" and ", set)
              + ": set at most one, each sets up the guest its own way");
      return;
    }
    CloudInitSpec c = b.getCloudInit();
    if (c != null) {
      if ((c.getUserData() == null) == (c.getUserDataSecretRef() == null)) {
        problems.add(
            "spec.bootstrap.cloudInit needs exactly one of userData (inline, not secret) and"
                + " userDataSecretRef");
      } else if (c.getUserData() != null
          && c.getUserData().length() > CloudInitSpec.MAX_INLINE_LENGTH) {
        problems.add(
            "spec.bootstrap.cloudInit.userData is "
                + c.getUserData().length()
                + " characters; inline user-data may have at most "
                + CloudInitSpec.MAX_INLINE_LENGTH
                + ": put it in a Secret");
      } else if (c.getUserDataSecretRef() != null) {
        secretRef("spec.bootstrap.cloudInit.userDataSecretRef", c.getUserDataSecretRef(), problems);
      }
    }
    LinuxPrepSpec l = b.getLinuxPrep();
    if (l != null) {
      if (l.getDomain() == null || l.getDomain().isEmpty()) {
        problems.add("spec.bootstrap.linuxPrep.domain is required (vSphere needs one)");
      } else if (l.getDomain().length() > 253
          || !l.getDomain().matches(LinuxPrepSpec.DOMAIN_PATTERN)) {
        problems.add(
            "spec.bootstrap.linuxPrep.domain must be a DNS domain such as example.com, got '"
                + shown(l.getDomain())
                + "'");
      }
      if (l.getTimeZone() != null
          && (l.getTimeZone().length() > 64
              || !l.getTimeZone().matches(LinuxPrepSpec.TIME_ZONE_PATTERN))) {
        problems.add(
            "spec.bootstrap.linuxPrep.timeZone must be a time zone name such as Europe/Berlin,"
                + " got '"
                + shown(l.getTimeZone())
                + "'");
      }
    }
    if (b.getSysprep() != null) {
      if (b.getSysprep().getUnattendSecretRef() == null) {
        problems.add("spec.bootstrap.sysprep.unattendSecretRef is required");
      } else {
        secretRef(
            "spec.bootstrap.sysprep.unattendSecretRef",
            b.getSysprep().getUnattendSecretRef(),
            problems);
      }
    }
  }

  private static void secretRef(String field, SecretKeyRef ref, List<String> problems) {
    if (ref.getName() == null
        || ref.getName().length() > 253
        || !ref.getName().matches(SecretKeyRef.NAME_PATTERN)) {
      problems.add(
          field
              + ".name must be the name of a Secret (lower case letters, digits, '-' and '.'), got '"
              + shown(ref.getName())
              + "'");
    }
    if (ref.getKey() == null
        || ref.getKey().length() > 253
        || !ref.getKey().matches(SecretKeyRef.KEY_PATTERN)) {
      problems.add(
          field
              + ".key must be a key of the Secret's data (letters, digits, '-', '_' and '.'), got '"
              + shown(ref.getKey())
              + "'");
    }
  }

  private static boolean usable(UnboundSpec unbound, String field) {
    return unbound == null || !unbound.unusable(field);
  }

  private static String shown(String s) {
    if (s == null) {
      return "";
    }
    String visible = s.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= 40 ? visible : visible.substring(0, 40) + "...";
  }
}

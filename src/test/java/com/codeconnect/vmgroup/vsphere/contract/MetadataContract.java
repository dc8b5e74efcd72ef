package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the operator relies on from tags (REST on vCenter) and custom attributes (SOAP's
 * CustomFieldsManager), run against the SOAP client with its REST sibling on govmomi's simulator
 * and against the in-memory vCenter.
 *
 * <p>Each subject holds the categories {@link #ENV} (tags {@code prod}, {@code test}) and {@link
 * #TEAM} (tag {@code a}), made by an administrator. The simulator is shared by the tests, so each
 * test uses a VM of its own and field names of its own.
 */
public abstract class MetadataContract {
  public static final String ENV = "contract-env";
  public static final String TEAM = "contract-team";

  /** A client of a vCenter holding {@link #ENV} and {@link #TEAM}. */
  protected abstract VsphereClient client();

  private MoRef vm(String name) {
    VsphereClient c = client();
    MoRef dc = c.datacenters().get(0).ref();
    return c.findVmsByName(dc, name).get(0).ref();
  }

  private TagCategory category(String name) {
    return client().tagCategories().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Tag tag(String category, String name) {
    return client().tags(category(category)).stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void categoriesAndTagsAreFoundByName() {
    TagCategory env = category(ENV);
    assertThat(env.id()).isNotBlank();
    assertThat(client().tags(env)).extracting(Tag::name).containsExactlyInAnyOrder("prod", "test");
    assertThat(client().tags(env)).allSatisfy(t -> assertThat(t.categoryId()).isEqualTo(env.id()));
    assertThat(client().tags(category(TEAM))).extracting(Tag::name).containsExactly("a");
  }

  @Test
  void tagsAreAttachedListedAndDetachedPerObject() {
    MoRef vm = vm("DC0_C0_RP0_VM0");
    MoRef other = vm("DC0_C0_RP0_VM1");
    Tag prod = tag(ENV, "prod");
    Tag a = tag(TEAM, "a");
    client().attachTags(List.of(prod.id(), a.id()), vm);
    assertThat(client().attachedTags(vm)).containsExactlyInAnyOrder(prod.id(), a.id());
    assertThat(client().attachedTags(other)).doesNotContain(prod.id(), a.id());

    client().attachTags(List.of(prod.id()), vm);
    assertThat(client().attachedTags(vm)).containsExactlyInAnyOrder(prod.id(), a.id());

    client().detachTags(List.of(prod.id()), vm);
    assertThat(client().attachedTags(vm)).containsExactly(a.id());
    client().detachTags(List.of(prod.id(), a.id()), vm);
    assertThat(client().attachedTags(vm)).isEmpty();
  }

  @Test
  void customFieldsAreDefinedForVmsAndSetPerVm() {
    String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    CustomFieldDef def = client().addVmCustomField(name);
    assertThat(def.name()).isEqualTo(name);
    assertThat(def.appliesToVms()).isTrue();
    assertThat(def.managedObjectType()).isEqualTo("VirtualMachine");
    assertThat(client().customFields()).contains(def);
    assertThatThrownBy(() -> client().addVmCustomField(name))
        .isInstanceOf(VsphereException.DuplicateName.class);

    MoRef vm = vm("DC0_C0_RP0_VM1");
    client().setCustomValue(vm, def.key(), "backup-gold");
    assertThat(client().customValues(vm)).containsEntry(def.key(), "backup-gold");
    assertThat(client().findVmsByName(client().datacenters().get(0).ref(), "DC0_C0_RP0_VM1"))
        .singleElement()
        .satisfies(v -> assertThat(v.customValues()).containsEntry(def.key(), "backup-gold"));

    client().setCustomValue(vm, def.key(), "");
    assertThat(client().customValues(vm)).doesNotContainKey(def.key());
  }

  @Test
  void aCustomValueOfAnUnknownVmIsNotFound() {
    MoRef gone = new MoRef("VirtualMachine", "vm-none");
    assertThatThrownBy(() -> client().customValues(gone))
        .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
  }
}

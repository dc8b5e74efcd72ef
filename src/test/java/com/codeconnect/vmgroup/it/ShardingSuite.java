package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.testing.Wait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator with a label selector serves only its shard's groups. */
abstract class ShardingSuite extends OperatorFixture {
  @Override
  protected OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withResyncInterval(Duration.ofSeconds(1))
        .withLabelSelector("shard=a");
  }

  @Test
  void groupsOutsideTheSelectorAreLeftToAnotherOperator() {
    create(labelled("mine", "a"));
    create(labelled("theirs", "b"));
    eventually().untilAsserted(() -> assertThat(vmsOf("mine")).hasSize(1));
    // Fixed on purpose: the other shard's group must stay untouched, so no condition could end
    // the wait; the group of this shard converging shows the operator is working meanwhile.
    Wait.quietPeriod(Duration.ofSeconds(3));
    assertThat(vmsOf("theirs")).isEmpty();
    assertThat(folder("theirs")).isEmpty();
    assertThat(get("theirs").getStatus()).isNull();
    assertThat(get("theirs").getMetadata().getFinalizers()).isNullOrEmpty();
  }

  private VmGroup labelled(String name, String shard) {
    VmGroup g = new VmGroup(namespace, name, new VmGroupSpec(1, 1, 1, TEMPLATE));
    g.getMetadata().setLabels(Map.of("shard", shard));
    return g;
  }

  private void create(VmGroup g) {
    kube.resource(g).create();
  }
}

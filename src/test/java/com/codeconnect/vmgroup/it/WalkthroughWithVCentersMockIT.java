package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.controller.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;

/**
 * The seed's walkthrough with VCenter resources switched on: a VCenter that allows other namespaces
 * exists, and the walkthrough's groups still go to the operator's own vCenter (from its environment
 * settings), exactly as without VCenters.
 */
class WalkthroughWithVCentersMockIT extends WalkthroughSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }

  @Override
  protected OperatorRuntime startOperator() {
    EmbeddedKubernetes.installVCenterCrd(kube);
    VCenterSpec elsewhere =
        new VCenterSpec("vcenter-elsewhere.example.com", "elsewhere-creds", null);
    elsewhere.allowedNamespaces = AllowedNamespaces.named("some-other-team");
    kube.resource(new VCenter("elsewhere", elsewhere)).create();
    return OperatorRuntime.start(
        kube,
        operatorClient,
        settings(),
        null,
        VCenterSettings.defaults("vmgroup-operator-system"));
  }
}

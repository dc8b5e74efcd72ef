package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The bad-input corpus on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries: what
 * the schema or the server's own rules refuse is never stored, the rest is the operator's to
 * report.
 */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class BadSpecCorpusKubeApiIT extends BadSpecCorpusSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}

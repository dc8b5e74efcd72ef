package com.codeconnect.vmgroup.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import com.codeconnect.vmgroup.endpoint.QuotaLedger.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuotaLedgerTest {
  static final Usage VM = new Usage(1, 2, 2048);

  @Test
  void aNamespaceIsLimitedAcrossItsGroupsAndOtherNamespacesDontCount() {
    QuotaLedger ledger = new QuotaLedger();
    VCenterQuota five = new VCenterQuota(5, null, null);
    ledger.observed("g1", "team", new Usage(3, 6, 6144), java.util.Set.of());
    ledger.observed("other", "elsewhere", new Usage(50, 100, 102400), java.util.Set.of());
    assertThat(ledger.tryTake("g2", "team", five, VM)).isNull();
    assertThat(ledger.tryTake("g2", "team", five, VM)).isNull();
    assertThat(ledger.tryTake("g2", "team", five, VM)).isEqualTo("maxVms 5");
    assertThat(ledger.usedBy("team")).isEqualTo(new Usage(5, 10, 10240));
  }

  @Test
  void eachLimitIsCheckedAndNoQuotaMeansNoLimit() {
    QuotaLedger ledger = new QuotaLedger();
    assertThat(ledger.tryTake("g", "ns", new VCenterQuota(null, 3, null), VM)).isNull();
    assertThat(ledger.tryTake("g", "ns", new VCenterQuota(null, 3, null), VM))
        .isEqualTo("maxCpus 3");
    assertThat(ledger.tryTake("h", "ns2", new VCenterQuota(null, null, 3), VM)).isNull();
    assertThat(ledger.tryTake("h", "ns2", new VCenterQuota(null, null, 3), VM))
        .isEqualTo("maxMemoryGiB 3");
    for (int i = 0; i < 100; i++) {
      assertThat(ledger.tryTake("g", "ns", null, VM)).isNull();
    }
  }

  @Test
  void anObservationReplacesWhatTheGroupTookAndAGiveBackUndoesATake() {
    QuotaLedger ledger = new QuotaLedger();
    VCenterQuota two = new VCenterQuota(2, null, null);
    assertThat(ledger.tryTake("g", "ns", two, VM)).isNull();
    assertThat(ledger.tryTake("g", "ns", two, VM)).isNull();
    ledger.giveBack("g", VM);
    assertThat(ledger.usedBy("ns").vms()).isEqualTo(1);
    ledger.observed("g", "ns", Usage.NONE, java.util.Set.of());
    assertThat(ledger.usedBy("ns").vms()).isZero();
    ledger.forget("g");
    assertThat(ledger.byNamespace()).isEmpty();
  }

  @Test
  void aSeedCountsAGroupNotObservedYetButNeverOverridesAnObservation() {
    QuotaLedger ledger = new QuotaLedger();
    ledger.observed("g", "ns", new Usage(1, 1, 1024), java.util.Set.of());
    ledger.seed("g", "ns", new Usage(9, 9, 9216));
    ledger.seed("h", "ns", new Usage(4, 4, 4096));
    assertThat(ledger.usedBy("ns")).isEqualTo(new Usage(5, 5, 5120));
    assertThat(ledger.tryTake("x", "ns", new VCenterQuota(5, null, null), VM))
        .isEqualTo("maxVms 5");
  }

  @Test
  void groupsTakingAtOnceNeverExceedTheQuota() throws Exception {
    QuotaLedger ledger = new QuotaLedger();
    VCenterQuota quota = new VCenterQuota(37, null, null);
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String uid = "g" + t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 20; i++) {
                  if (ledger.tryTake(uid, "ns", quota, VM) == null) {
                    taken.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(taken.get()).isEqualTo(37);
    assertThat(ledger.usedBy("ns").vms()).isEqualTo(37);
  }

  @Test
  void aStartedCloneCountsUntilItsVmIsSeenItFailsOrItIsLongOverdue() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(
            java.time.Instant.parse("2026-01-01T00:00:00Z"));
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return now.get();
          }
        };
    QuotaLedger ledger = new QuotaLedger(clock);
    VCenterQuota two = new VCenterQuota(2, null, null);
    assertThat(ledger.tryTake("g", "ns", two, VM)).isNull();
    ledger.cloning("g", "web-0", VM);
    assertThat(ledger.tryTake("g", "ns", two, VM)).isNull();
    ledger.cloning("g", "web-1", VM);
    // the task ended but the feed doesn't show the VMs yet: both still count
    ledger.observed("g", "ns", Usage.NONE, java.util.Set.of());
    assertThat(ledger.tryTake("h", "ns", two, VM)).isEqualTo("maxVms 2");
    // web-0 is seen (it counts as a VM now, once), web-1 failed
    ledger.cloneFailed("g", "web-1");
    ledger.observed("g", "ns", VM, java.util.Set.of("web-0"));
    assertThat(ledger.usedBy("ns").vms()).isEqualTo(1);
    // a clone never seen stops counting after PENDING_FOR
    assertThat(ledger.tryTake("g", "ns", two, VM)).isNull();
    ledger.cloning("g", "web-2", VM);
    ledger.observed("g", "ns", VM, java.util.Set.of("web-0"));
    assertThat(ledger.usedBy("ns").vms()).isEqualTo(2);
    now.set(now.get().plus(QuotaLedger.PENDING_FOR).plusSeconds(1));
    ledger.observed("g", "ns", VM, java.util.Set.of("web-0"));
    assertThat(ledger.usedBy("ns").vms()).isEqualTo(1);
  }

  @Test
  void listenersHearOfChangesOnly() {
    QuotaLedger ledger = new QuotaLedger();
    AtomicInteger heard = new AtomicInteger();
    ledger.onChange(heard::incrementAndGet);
    ledger.observed("g", "ns", VM, java.util.Set.of());
    ledger.observed("g", "ns", VM, java.util.Set.of());
    assertThat(heard.get()).isEqualTo(1);
    ledger.tryTake("g", "ns", new VCenterQuota(1, null, null), VM);
    assertThat(heard.get()).as("refused: nothing changed").isEqualTo(1);
  }

  @Test
  void whatANamespaceUsesFollowsEveryChangeOfItsGroups() {
    QuotaLedger ledger = new QuotaLedger();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      String uid = "g" + random.nextInt(12);
      String ns = "ns" + (uid.hashCode() % 3);
      Usage u = new Usage(random.nextInt(4), random.nextInt(8), random.nextInt(4096));
      switch (random.nextInt(5)) {
        case 0 -> ledger.observed(uid, ns, u, java.util.Set.of());
        case 1 -> ledger.seed(uid, ns, u);
        case 2 -> ledger.tryTake(uid, ns, null, u);
        case 3 -> ledger.giveBack(uid, u);
        default -> ledger.forget(uid);
      }
      for (String n : List.of("ns0", "ns1", "ns2")) {
        assertThat(ledger.usedBy(n)).isEqualTo(ledger.byNamespace().getOrDefault(n, Usage.NONE));
      }
    }
  }
}

package com.codeconnect.vmgroup.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorRuntimeTest {

  @Test
  void aReconcileThatKeepsThrowingIsRetriedForeverAtMostAMinuteApart() {
    RetryExecution retry = OperatorRuntime.unexpectedErrorRetry().initExecution();
    List<Long> delays = new ArrayList<>();
    // A day of failures at the cap is 1,440 tries; JOSDK's default stopped after 5.
    for (int i = 0; i < 1_500; i++) {
      assertThat(retry.isLastAttempt()).as("attempt %d is the last", i).isFalse();
      Optional<Long> next = retry.nextDelay();
      assertThat(next).as("delay after attempt %d", i).isPresent();
      delays.add(next.get());
    }
    // JOSDK waits the initial interval twice before it starts doubling.
    assertThat(delays.subList(0, 8))
        .containsExactly(1_000L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L);
    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(1_000L, 60_000L));
  }
}

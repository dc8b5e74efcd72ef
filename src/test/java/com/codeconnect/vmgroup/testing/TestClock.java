package com.codeconnect.vmgroup.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand; also read from threads the code under test starts. */
public final class TestClock extends Clock {
  public volatile Instant now;

  public TestClock(String start) {
    this.now = Instant.parse(start);
  }

  public TestClock advance(Duration d) {
    now = now.plus(d);
    return this;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}

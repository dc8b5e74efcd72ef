package com.codeconnect.vmgroup.vsphere.contract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line the JVM writes while open, at TRACE, as the text a log file would hold (message
 * and stack traces with their messages), for tests that prove a value never reaches a log.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level level = root.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  // the console's appenders are set aside meanwhile: TRACE would flood the test's output
  private final List<Appender<ILoggingEvent>> console = new ArrayList<>();

  public LogCapture() {
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
  }

  /** The lines so far, each with its stack trace, if any. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    synchronized (appender.list) {
      for (ILoggingEvent e : appender.list) {
        IThrowableProxy t = e.getThrowableProxy();
        out.add(
            e.getLoggerName()
                + " "
                + e.getFormattedMessage()
                + (t == null ? "" : "\n" + ThrowableProxyUtil.asString(t)));
      }
    }
    return out;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(level);
    console.forEach(root::addAppender);
    appender.stop();
  }
}

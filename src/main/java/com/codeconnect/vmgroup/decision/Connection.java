package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterStatus;
import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What one check of a vCenter found, and the status it leads to. Pure: no I/O, so the reasons and
 * the rule "write only what changed" are tested without a vCenter.
 *
 * @param about what vCenter said about itself, or null when it didn't answer
 * @param reason {@link #CONNECTED} or why not
 * @param transientProblem true when the same check may succeed later without anyone changing
 *     anything (retried with backoff); false when someone has to act (no retry loop)
 */
public record Connection(AboutInfo about, String reason, String message, boolean transientProblem) {
  public static final String CONNECTED = "Connected";
  public static final String UNREACHABLE = "Unreachable";
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
  public static final String CERTIFICATE_REJECTED = "CertificateRejected";
  public static final String SECRET_MISSING = "SecretMissing";
  public static final String CA_BUNDLE_MISSING = "CABundleMissing";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String ERROR = "Error";

  public static final String TYPE_CONNECTED = "Connected";
  public static final String TYPE_READY = "Ready";

  public static Connection connected(AboutInfo about, String url) {
    return new Connection(
        about,
        CONNECTED,
        "logged in to "
            + url
            + (about == null || about.fullName() == null ? "" : " (" + about.fullName() + ")"),
        false);
  }

  /** A problem found before calling vCenter (spec, Secret): someone has to fix it. */
  public static Connection misconfigured(String reason, String message) {
    return new Connection(null, reason, message, false);
  }

  /**
   * Classifies a failed call; {@code about} is kept when only the login failed.
   *
   * @param secret the credentials Secret (namespace/name), named when vCenter refused them
   */
  public static Connection failed(AboutInfo about, VsphereException e, String secret) {
    String reason;
    if (e instanceof VsphereException.InvalidLogin) {
      reason = CREDENTIALS_REJECTED;
    } else if (e instanceof VsphereException.CertificateRejected) {
      reason = CERTIFICATE_REJECTED;
    } else if (e instanceof VsphereException.Transport) {
      reason = UNREACHABLE;
    } else if (SECRET_MISSING.equals(e.faultType())) {
      reason = SECRET_MISSING;
    } else {
      reason = ERROR;
    }
    boolean retry = reason.equals(UNREACHABLE) || (reason.equals(ERROR) && e.isTransient());
    String message =
        reason.equals(CREDENTIALS_REJECTED)
            ? "vCenter rejected the user and password of Secret "
                + secret
                + " ("
                + e.getMessage()
                + "); not retried until the Secret changes or the backoff ends"
            : e.getMessage();
    return new Connection(about, reason, message, retry);
  }

  public boolean isConnected() {
    return CONNECTED.equals(reason);
  }

  /**
   * The status this check leads to. Unchanged facts keep their previous values (transition times,
   * the time of the first successful check, the last known version while vCenter is away), so the
   * result equals the previous status whenever nothing changed and no write is needed.
   */
  public VCenterStatus status(long generation, VCenterStatus previous, Instant now) {
    VCenterStatus prev = previous == null ? new VCenterStatus() : previous;
    VCenterStatus s = new VCenterStatus();
    s.observedGeneration = generation;
    AboutInfo a = about;
    if (a != null) {
      s.product = a.fullName();
      s.version = a.version();
      s.apiVersion = a.apiVersion();
      s.instanceUuid = a.instanceUuid();
    } else {
      s.product = prev.product;
      s.version = prev.version;
      s.apiVersion = prev.apiVersion;
      s.instanceUuid = prev.instanceUuid;
    }
    s.session = isConnected() ? VCenterStatus.SESSION_ACTIVE : VCenterStatus.SESSION_NONE;
    boolean wasConnected = VCenterStatus.SESSION_ACTIVE.equals(prev.session);
    s.lastConnected =
        isConnected() && !(wasConnected && prev.lastConnected != null)
            ? now.truncatedTo(ChronoUnit.SECONDS).toString()
            : prev.lastConnected;
    List<Condition> conditions = new ArrayList<>();
    String readyMessage =
        isConnected() ? "the operator can use this vCenter" : "not usable: " + message;
    conditions.add(condition(TYPE_READY, readyMessage, generation, prev, now));
    conditions.add(condition(TYPE_CONNECTED, message, generation, prev, now));
    s.conditions = conditions;
    return s;
  }

  private Condition condition(
      String type, String text, long generation, VCenterStatus prev, Instant now) {
    String status = isConnected() ? "True" : "False";
    Condition before =
        prev.conditions == null
            ? null
            : prev.conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    String since =
        before != null
                && status.equals(before.getStatus())
                && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(text == null ? "" : text)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}

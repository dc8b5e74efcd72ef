package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * A spec that didn't fit the model (see {@link SpecBinding}): the fields that did, the problems
 * with the others, and the JSON as received, which is also what it serializes to.
 */
public final class UnboundSpec extends VmGroupSpec {
  private JsonNode received;
  private List<String> problems = List.of();
  private Set<String> badFields = Set.of();

  UnboundSpec() {}

  UnboundSpec received(JsonNode json, List<String> problems, Set<String> badFields) {
    this.received = json;
    this.problems = List.copyOf(problems);
    this.badFields = Set.copyOf(badFields);
    return this;
  }

  /** The spec exactly as the API server sent it. */
  @JsonValue
  public JsonNode json() {
    return received;
  }

  /** Each names a field and what is wrong with it. */
  public List<String> problems() {
    return problems;
  }

  /** True when {@code field} was present but unusable ({@code *}: the whole spec). */
  public boolean unusable(String field) {
    return badFields.contains(field) || badFields.contains("*");
  }

  /**
   * An unreadable deletionPolicy may have been meant as Retain; keeping VMs can be undone,
   * destroying them can't.
   */
  @Override
  public DeletionPolicy effectiveDeletionPolicy() {
    return unusable("deletionPolicy") ? DeletionPolicy.Retain : super.effectiveDeletionPolicy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnboundSpec u && received.equals(u.received);
  }

  @Override
  public int hashCode() {
    return received.hashCode();
  }

  @Override
  public String toString() {
    return "UnboundSpec" + problems;
  }
}

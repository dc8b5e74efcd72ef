package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import java.util.List;

/**
 * Where a group's VMs come from: exactly one of a template of the inventory and a content library
 * item, each well-formed, and nothing the chosen source can't honour. The CRD's rules say the same
 * on an API server that enforces them; this holds where none does.
 */
final class SourceValidator {
  private SourceValidator() {}

  static void validate(VmGroupSpec spec, List<String> problems) {
    boolean hasSource = spec.getSource() != null;
    if (spec.getTemplate() == null && !hasSource) {
      problems.add(
          "spec.template or spec.source.contentLibrary is required: it says what VMs are made"
              + " from");
      return;
    }
    if (spec.getTemplate() != null && hasSource) {
      problems.add(
          "spec.template and spec.source can't both be set: exactly one says what VMs are made"
              + " from");
      return;
    }
    if (!hasSource) {
      String problem = SpecValidator.templateProblem(spec.getTemplate());
      if (problem != null) {
        problems.add(problem);
      }
      return;
    }
    ContentLibrarySpec library = spec.contentLibrary();
    if (library == null) {
      problems.add("spec.source.contentLibrary is required when spec.source is set");
      return;
    }
    name(problems, "library", library.getLibrary());
    name(problems, "item", library.getItem());
    if (spec.effectiveCloneMode() == VmGroupSpec.CloneMode.linked) {
      problems.add(
          "spec.cloneMode linked needs a template's snapshot; a content library item is deployed"
              + " as a full copy");
    }
  }

  private static void name(List<String> problems, String field, String value) {
    String path = "spec.source.contentLibrary." + field;
    if (value == null || value.isBlank()) {
      problems.add(path + " is required and must not be empty");
    } else if (value.length() > ContentLibrarySpec.MAX_NAME_LENGTH) {
      problems.add(path + " is longer than " + ContentLibrarySpec.MAX_NAME_LENGTH + " characters");
    } else if (value.chars().anyMatch(Character::isISOControl)) {
      problems.add(path + " must not contain control characters");
    }
  }
}

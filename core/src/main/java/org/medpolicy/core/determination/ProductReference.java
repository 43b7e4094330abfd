package org.medpolicy.core.determination;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The FDA-approved product an item was recognized as. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductReference(String name, String generic, String hcpcs) {
}

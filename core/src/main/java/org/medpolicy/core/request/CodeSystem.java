package org.medpolicy.core.request;

/** The procedure code systems a request item may use. HCPCS Level I is CPT, so HCPCS also takes CPT-form codes. */
public enum CodeSystem {
    CPT,
    HCPCS
}

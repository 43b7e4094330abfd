/**
 * The medpolicy domain: coverage requests, medical policies as versioned data, and the
 * determinations the engine derives from them. Plain Java and Jackson only: no HTTP, database or
 * FHIR here, so every channel can share it.
 */
package org.medpolicy.core;

/**
 * The decision engine: {@link org.medpolicy.core.engine.CoverageEngine}, created by
 * {@link org.medpolicy.core.engine.CoverageEngines} from a policy library. The engine compiles each
 * policy version once into lookup tables and prebuilt determinations; a decision is a handful of
 * table lookups and one scan of any free text. Everything but the two public types is internal.
 */
package org.medpolicy.core.engine;

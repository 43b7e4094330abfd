/**
 * What the engine answers: a {@link org.medpolicy.core.determination.Determination} with one
 * {@link org.medpolicy.core.determination.ItemDetermination} per requested item. The shapes, names
 * and enum values are the decision contract's and are fixed; fields may be added, never renamed.
 */
package org.medpolicy.core.determination;

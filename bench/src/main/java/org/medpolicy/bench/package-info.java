/** JMH benchmarks of the engine. Run them as BENCHMARKS.md says; a unit test never times anything. */
package org.medpolicy.bench;

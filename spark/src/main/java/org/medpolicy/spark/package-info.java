/**
 * Claim screening on Apache Spark, for when one machine is not enough: the same claim-line reader
 * and engine as {@code medpolicy screen}, run per partition, with the engine loaded once per
 * executor JVM. Results are Parquet, partitioned by outcome.
 */
package org.medpolicy.spark;

package org.medpolicy.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark job: claim lines stored as CSV (with a header) or Parquet, with the columns
 * {@code medpolicy screen} reads, screened partition by partition and written as Parquet
 * partitioned by {@code outcome} (rejected lines land in {@code outcome=REJECTED}, with their
 * problems, never lost).
 *
 * <p>Usage: {@code spark-submit --class org.medpolicy.spark.SparkScreening medpolicy-spark.jar
 * --input PATH --format csv|parquet --output PATH [--policies DIR]}. Without {@code --policies}
 * the policies packaged in the jar are used. Stateless.
 */
public final class SparkScreening {

    /** The input columns, in the order the screener takes them. */
    static final List<String> COLUMNS = List.of("claimId", "lineNumber", "memberId", "dateOfService", "codeSystem", "code", "therapy",
            "product", "description", "diagnoses");

    /** The result columns. */
    static final StructType RESULT = new StructType()
            .add("claimId", DataTypes.StringType)
            .add("lineNumber", DataTypes.IntegerType)
            .add("outcome", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("governedBy", DataTypes.StringType)
            .add("explanation", DataTypes.StringType)
            .add("policyVersion", DataTypes.StringType)
            .add("problems", DataTypes.StringType);

    private SparkScreening() {
    }

    public static void main(String[] args) {
        String input = null;
        String format = "csv";
        String output = null;
        String policies = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--input" -> input = args[i + 1];
                case "--format" -> format = args[i + 1].toLowerCase(Locale.ROOT);
                case "--output" -> output = args[i + 1];
                case "--policies" -> policies = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (input == null || output == null || !(format.equals("csv") || format.equals("parquet"))) {
            System.err.println("usage: SparkScreening --input PATH --format csv|parquet --output PATH [--policies DIR]");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("medpolicy screen").getOrCreate();
        try {
            run(spark, input, format, output, policies);
        } finally {
            spark.stop();
        }
    }

    /** Screens {@code input} into {@code output} (overwritten). */
    public static void run(SparkSession spark, String input, String format, String output, String policies) {
        Dataset<Row> lines = format.equals("parquet")
                ? spark.read().parquet(input)
                : spark.read().option("header", "true").option("quote", "\"").option("escape", "\"").csv(input);
        List<String> present = Arrays.asList(lines.columns());
        List<Column> selected = new ArrayList<>();
        for (String column : COLUMNS) {
            selected.add(present.contains(column) ? col(column).cast(DataTypes.StringType).as(column)
                    : lit(null).cast(DataTypes.StringType).as(column));
        }
        Dataset<Row> results = lines.select(selected.toArray(Column[]::new))
                .mapPartitions(new ScreenPartition(policies), Encoders.row(RESULT));
        results.write().mode(SaveMode.Overwrite).partitionBy("outcome").parquet(output);
    }
}

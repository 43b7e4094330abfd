package org.medpolicy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medpolicy.store.Database;

/**
 * How large an embedded database's file is against the data it holds, for issue #12's bound (a file
 * no larger than 1.5 times its data). The data is what the tables hold, column by column: the bytes
 * of every text, JSON and binary value ({@code OCTET_LENGTH}), and the fixed width of every other
 * value (8 for a BIGINT, 12 for a timestamp with time zone …). Indexes, B-tree pages and free space
 * are what the file adds to that. Run it on a database no server holds (it opens the file).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.medpolicy.bench.StoreSize jdbc:h2:file:/tmp/db</pre>
 */
public final class StoreSize {

    private StoreSize() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].startsWith("jdbc:h2:file:")) {
            System.err.println("usage: StoreSize jdbc:h2:file:PATH");
            System.exit(2);
        }
        Path file = Path.of(args[0].substring("jdbc:h2:file:".length()).split(";")[0] + ".mv.db");
        long fileBytes = Files.size(file);
        long dataBytes = 0;
        long determinations = 0;
        try (Database database = Database.open(args[0], null, null);
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'PUBLIC' ORDER BY table_name, ordinal_position")) {
                while (rows.next()) {
                    columns.computeIfAbsent(rows.getString(1), table -> new ArrayList<>()).add(width(rows.getString(2), rows.getString(3)));
                }
            }
            for (var table : columns.entrySet()) {
                String sum = String.join(" + ", table.getValue());
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*), COALESCE(SUM(" + sum + "), 0) FROM \"" + table.getKey() + "\"")) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        System.out.printf("  %-32s %,12d rows %,14d bytes%n", table.getKey(), rows.getLong(1), rows.getLong(2));
                    }
                    dataBytes += rows.getLong(2);
                    if (table.getKey().equalsIgnoreCase("DETERMINATION_LOG")) {
                        determinations = rows.getLong(1);
                    }
                }
            }
        }
        System.out.printf("file %,d bytes, data %,d bytes: file / data %.2f; %,d determinations, %.1f KB of file each%n",
                fileBytes, dataBytes, fileBytes / (double) Math.max(1, dataBytes), determinations,
                determinations == 0 ? 0 : fileBytes / 1024.0 / determinations);
    }

    /** The SQL for one column's size in a row. */
    private static String width(String column, String type) {
        String value = "\"" + column + "\"";
        return switch (type) {
            case "CHARACTER VARYING", "CHARACTER", "CHARACTER LARGE OBJECT", "BINARY VARYING", "BINARY", "BINARY LARGE OBJECT", "JSON" ->
                    "COALESCE(OCTET_LENGTH(" + value + "), 0)";
            case "BIGINT", "DOUBLE PRECISION", "TIMESTAMP" -> "8";
            case "TIMESTAMP WITH TIME ZONE" -> "12";
            case "INTEGER", "DATE", "REAL" -> "4";
            case "SMALLINT" -> "2";
            case "BOOLEAN", "TINYINT" -> "1";
            case "UUID" -> "16";
            default -> "COALESCE(OCTET_LENGTH(CAST(" + value + " AS VARCHAR)), 0)";
        };
    }
}

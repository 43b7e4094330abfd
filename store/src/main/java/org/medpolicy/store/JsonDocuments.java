package org.medpolicy.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.medpolicy.core.json.Utf8Json;

/**
 * How the decision log's JSON documents are stored: as text on PostgreSQL (readable with SQL by
 * auditors), as UTF-8 bytes on H2. Why the difference: H2's MVStore writes a string value
 * character by character and rewrites whole pages on every commit, so a few kilobytes of JSON as
 * text made the log writer the bottleneck of the server; as bytes it is a bulk copy (measured in
 * BENCHMARKS.md). Either way the document read back is exactly the one written. Stateless.
 */
enum JsonDocuments {
    TEXT {
        @Override
        void bind(PreparedStatement statement, int index, Utf8Json json) throws SQLException {
            statement.setString(index, json.text());
        }

        @Override
        Utf8Json read(ResultSet row, String column) throws SQLException {
            String text = row.getString(column);
            return text == null ? null : Utf8Json.of(text);
        }
    },
    UTF8_BYTES {
        @Override
        void bind(PreparedStatement statement, int index, Utf8Json json) throws SQLException {
            statement.setBytes(index, json.toByteArray());
        }

        @Override
        Utf8Json read(ResultSet row, String column) throws SQLException {
            byte[] bytes = row.getBytes(column);
            return bytes == null ? null : Utf8Json.ofBytes(bytes);
        }
    };

    abstract void bind(PreparedStatement statement, int index, Utf8Json json) throws SQLException;

    abstract Utf8Json read(ResultSet row, String column) throws SQLException;

    static JsonDocuments of(Database.Kind kind) {
        return kind == Database.Kind.H2 ? UTF8_BYTES : TEXT;
    }
}

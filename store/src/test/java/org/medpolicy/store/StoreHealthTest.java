package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which SQL errors are the store failing (mark it down, evict the connection) and which are one statement's. */
class StoreHealthTest {

    @ParameterizedTest(name = "{0} / {1}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            90098 | 90098 | Database is already closed                                     | true
            50000 | HY000 | General error: "org.h2.mvstore.MVStoreException: Writing to x" | true
            90028 | 90028 | IO Exception                                                   | true
            0     | 53100 | could not extend file: No space left on device                 | true
            0     | 58030 | could not write to file                                        | true
            23505 | 23505 | Unique index or primary key violation                          | false
            50000 | HY000 | General error: something else                                  | false
            0     | 42P01 | relation does not exist                                        | false
            """)
    void storeFailuresAreToldFromStatementFailures(int code, String state, String message, boolean storeFailure) {
        SQLException direct = new SQLException(message, state, code);
        assertThat(StoreHealth.isStoreFailure(direct)).isEqualTo(storeFailure);
        assertThat(StoreHealth.isStoreFailure(new SQLException("wrapped", "XX000", 0, direct))).as("as a cause").isEqualTo(storeFailure);
    }
}

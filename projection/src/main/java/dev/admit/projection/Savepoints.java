package dev.admit.projection;

import java.sql.Connection;
import java.sql.Savepoint;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Savepoints on the connection of the transaction in progress, so that one failed statement undoes only its own
 * part: PostgreSQL refuses every later statement of a transaction after an error, until a rollback to a savepoint.
 */
final class Savepoints {

    private final JdbcTemplate jdbc;

    Savepoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Savepoint set() {
        return jdbc.execute((ConnectionCallback<Savepoint>) Connection::setSavepoint);
    }

    void release(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.releaseSavepoint(savepoint);
            return null;
        });
    }

    void rollBackTo(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.rollback(savepoint);
            return null;
        });
    }
}

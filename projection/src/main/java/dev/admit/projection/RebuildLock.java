package dev.admit.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A PostgreSQL session-level advisory lock on a connection of its own, held while a rebuild runs. It refuses a
 * second rebuild on any node of the database, and it goes with the connection when the process dies.
 */
final class RebuildLock implements AutoCloseable {

    private final Connection connection;
    private final int classKey;
    private final int objectKey;

    private RebuildLock(Connection connection, int classKey, int objectKey) {
        this.connection = connection;
        this.classKey = classKey;
        this.objectKey = objectKey;
    }

    /** @throws RebuildAlreadyRunningException if another session holds it */
    static RebuildLock take(JdbcTemplate jdbc, int classKey, int objectKey) {
        DataSource dataSource = jdbc.getDataSource();
        if (dataSource == null) {
            throw new IllegalStateException("the rebuild needs a data source");
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (!call(connection, "SELECT pg_try_advisory_lock(?, ?)", classKey, objectKey)) {
                throw new RebuildAlreadyRunningException();
            }
            return new RebuildLock(connection, classKey, objectKey);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("could not take the rebuild's lock", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            // a pooled connection outlives this object; the lock must not
            call(connection, "SELECT pg_advisory_unlock(?, ?)", classKey, objectKey);
        } catch (SQLException e) {
            // a broken connection took the lock with it
        } finally {
            closeQuietly(connection);
        }
    }

    private static boolean call(Connection connection, String sql, int classKey, int objectKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, classKey);
            statement.setInt(2, objectKey);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to release
        }
    }
}

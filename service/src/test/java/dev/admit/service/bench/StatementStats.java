package dev.admit.service.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where a point's database time went, statement by statement, from PostgreSQL's {@code pg_stat_statements}: a
 * diagnostic for profiling the database side ({@code -Dbench.statements=true}), off in normal runs since the
 * extension itself costs a little on every statement.
 */
final class StatementStats {

    static final String LIBRARY = "pg_stat_statements";
    private static final int TOP = 12;

    private final DataSource db;

    StatementStats(DataSource db) throws SQLException {
        this.db = db;
        try (var connection = db.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS " + LIBRARY);
        }
    }

    /** Forgets what was counted so far: the next {@link #top} covers only what follows. */
    void reset() throws SQLException {
        try (var connection = db.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements that took the most execution time since the last reset, per request of the point. */
    List<Map<String, Object>> top(long requests) throws SQLException {
        double perRequest = 1.0 / Math.max(1, requests);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (var connection = db.getConnection();
                var statement = connection.prepareStatement("SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 160),"
                        + " calls, total_exec_time, rows, shared_blks_hit + shared_blks_read"
                        + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT " + TOP)) {
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("query", result.getString(1));
                    row.put("calls_per_request", round(result.getLong(2) * perRequest));
                    row.put("exec_ms_per_request", round(result.getDouble(3) * perRequest));
                    row.put("rows_per_call", round(result.getLong(4) / (double) Math.max(1, result.getLong(2))));
                    row.put("blocks_per_request", round(result.getLong(5) * perRequest));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

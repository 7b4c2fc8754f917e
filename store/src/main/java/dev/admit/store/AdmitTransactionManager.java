package dev.admit.store;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Spring's JDBC transaction manager, except that a rollback on a connection that broke is not a second failure:
 * the database rolls the transaction back itself when the connection goes. Spring's own manager logs "Commit
 * exception overridden by rollback exception" at ERROR for every call in flight when the database goes away; here
 * the commit's failure is what the caller sees, and {@link DatabaseOutage} says once that the database is away.
 */
public class AdmitTransactionManager extends JdbcTransactionManager {

    private static final Logger log = LoggerFactory.getLogger(AdmitTransactionManager.class);

    public AdmitTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (TransactionException failure) {
            if (!DatabaseOutage.report(failure)) {
                throw failure;
            }
            log.debug(
                    "Rollback on a broken connection skipped: {}",
                    failure.getClass().getName());
        }
    }
}

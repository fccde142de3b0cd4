package io.github.cartrecovery.reporting;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Host edge: builds {@link ReportingDatabase} from {@code cartrecovery.reporting.replica.*}. The replica is either a
 * JDBC URL (with user and password), for which this factory opens a small pool of read-only connections with short
 * timeouts, or the id of a {@link DataSource} bean the store defines itself (a JNDI lookup, its own pool); neither
 * means no replica. The pool starts even when the replica is down, and is closed with the context.
 */
public class ReportingDatabaseFactory implements FactoryBean<ReportingDatabase>, BeanFactoryAware, DisposableBean {

    private final DataSource primary;
    private final Clock clock;
    private final String url;
    private final String user;
    private final String password;
    private final String dataSourceBean;
    private final int maxLagSeconds;
    private final int checkIntervalSeconds;
    private final int connectTimeoutMillis;
    private final int poolSize;
    private final int rollupIntervalSeconds;
    private BeanFactory beanFactory;
    private HikariDataSource pool;
    private ReportingDatabase database;

    public ReportingDatabaseFactory(DataSource primary, Clock clock, String url, String user, String password,
                                    String dataSourceBean, int maxLagSeconds, int checkIntervalSeconds,
                                    int connectTimeoutMillis, int poolSize, int rollupIntervalSeconds) {
        this.primary = primary;
        this.clock = clock;
        this.url = trim(url);
        this.user = trim(user);
        this.password = password == null ? "" : password;
        this.dataSourceBean = trim(dataSourceBean);
        this.maxLagSeconds = maxLagSeconds;
        this.checkIntervalSeconds = checkIntervalSeconds;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.poolSize = poolSize;
        this.rollupIntervalSeconds = rollupIntervalSeconds;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public synchronized ReportingDatabase getObject() {
        if (database == null) {
            database = build();
        }
        return database;
    }

    private ReportingDatabase build() {
        if (url.isEmpty() && dataSourceBean.isEmpty()) {
            return ReportingDatabase.primaryOnly(primary);
        }
        if (!url.isEmpty() && !dataSourceBean.isEmpty()) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.url and cartrecovery.reporting.replica.datasource-bean"
                    + " are both set: set one (the URL for a pool the plugin opens, or the id of your own DataSource bean)");
        }
        if (maxLagSeconds <= rollupIntervalSeconds) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.max-lag-seconds (" + maxLagSeconds + ") must be longer"
                    + " than cartrecovery.reports.rollup-interval-seconds (" + rollupIntervalSeconds + "): the rollup job writes"
                    + " the heartbeat the lag is read from once per run, so a replica that is up to date shows one up to an"
                    + " interval old");
        }
        if (checkIntervalSeconds < 0) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.check-interval-seconds must not be negative, was "
                    + checkIntervalSeconds);
        }
        if (connectTimeoutMillis < 250) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.connect-timeout-ms must be at least 250, was "
                    + connectTimeoutMillis);
        }
        DataSource replica = dataSourceBean.isEmpty() ? openPool() : beanFactory.getBean(dataSourceBean, DataSource.class);
        return new ReportingDatabase(primary, replica, clock, Duration.ofSeconds(maxLagSeconds),
                Duration.ofSeconds(checkIntervalSeconds), Duration.ofMillis(connectTimeoutMillis));
    }

    private DataSource openPool() {
        if (poolSize < 1) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.pool-size must be at least 1, was " + poolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("cartrecovery-reporting-replica");
        config.setJdbcUrl(url);
        config.setUsername(user.isEmpty() ? null : user);
        config.setPassword(password.isEmpty() ? null : password);
        config.setReadOnly(true);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        // a dead replica costs at most this long per check: no connection in time is "unreachable"
        config.setConnectionTimeout(connectTimeoutMillis);
        config.setValidationTimeout(Math.max(250, connectTimeoutMillis / 2));
        // start even when the replica is down: reports fall back to the primary until it answers
        config.setInitializationFailTimeout(-1);
        pool = new HikariDataSource(config);
        return pool;
    }

    @Override
    public Class<?> getObjectType() {
        return ReportingDatabase.class;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    @Override
    public synchronized void destroy() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}

package io.github.cartrecovery.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.hibernate.dialect.Dialect;
import org.hibernate.service.jdbc.dialect.internal.StandardDialectResolver;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.orm.jpa.persistenceunit.PersistenceUnitManager;

/**
 * The Hibernate dialect Broadleaf's {@code blPU} uses: the configured {@code hibernate.dialect}, or the
 * one Hibernate detects from the connection when the host left it unset.
 */
public class PersistenceUnitDialect implements FactoryBean<Dialect> {

    private final PersistenceUnitManager persistenceUnitManager;
    private final String persistenceUnitName;
    private final DataSource dataSource;

    public PersistenceUnitDialect(PersistenceUnitManager persistenceUnitManager, String persistenceUnitName,
                                  DataSource dataSource) {
        this.persistenceUnitManager = persistenceUnitManager;
        this.persistenceUnitName = persistenceUnitName;
        this.dataSource = dataSource;
    }

    @Override
    public Dialect getObject() throws SQLException, ReflectiveOperationException {
        String configured = persistenceUnitManager.obtainPersistenceUnitInfo(persistenceUnitName)
                .getProperties().getProperty("hibernate.dialect");
        if (configured != null && !configured.trim().isEmpty()) {
            return (Dialect) Class.forName(configured.trim()).getDeclaredConstructor().newInstance();
        }
        try (Connection connection = dataSource.getConnection()) {
            return new StandardDialectResolver().resolveDialect(connection.getMetaData());
        }
    }

    @Override
    public Class<?> getObjectType() {
        return Dialect.class;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}

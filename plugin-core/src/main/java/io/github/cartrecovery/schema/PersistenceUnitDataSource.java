package io.github.cartrecovery.schema;

import javax.sql.DataSource;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.orm.jpa.persistenceunit.PersistenceUnitManager;

/**
 * Exposes the datasource of Broadleaf's {@code blPU} persistence unit, whatever the host named it
 * ({@code jdbc/web} in a store, {@code jdbc/test} in tests), so the plugin's schema lives in the same
 * database as the orders it follows.
 */
public class PersistenceUnitDataSource implements FactoryBean<DataSource> {

    private final PersistenceUnitManager persistenceUnitManager;
    private final String persistenceUnitName;

    public PersistenceUnitDataSource(PersistenceUnitManager persistenceUnitManager, String persistenceUnitName) {
        this.persistenceUnitManager = persistenceUnitManager;
        this.persistenceUnitName = persistenceUnitName;
    }

    @Override
    public DataSource getObject() {
        DataSource dataSource = persistenceUnitManager.obtainPersistenceUnitInfo(persistenceUnitName).getNonJtaDataSource();
        if (dataSource == null) {
            throw new IllegalStateException("Persistence unit '" + persistenceUnitName
                    + "' has no non-JTA datasource; Cart Recovery needs it to manage its tables");
        }
        return dataSource;
    }

    @Override
    public Class<?> getObjectType() {
        return DataSource.class;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}

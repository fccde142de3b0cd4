package io.github.cartrecovery.schema;

import java.util.Arrays;
import java.util.Locale;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Orders the plugin's schema work around Broadleaf's entity manager factory, whose {@code hbm2ddl} setting
 * for {@code blPU} decides what Hibernate does to the plugin's tables:
 * <ul>
 * <li>{@code update}, {@code validate}, {@code none} (production): the entity manager factory waits for the
 *     plugin's schema bean, so Liquibase creates (and Hibernate validates) the plugin's tables before
 *     {@code hbm2ddl} looks at them. Without this ordering {@code update} would create them itself.</li>
 * <li>{@code create}, {@code create-drop} (Heat Clinic's development settings): Hibernate drops and re-creates
 *     every table of {@code blPU}, the plugin's included, in its own shape. The order is turned round: the
 *     entity manager factory first, then {@link HibernateExportedTables} drops what Hibernate made of the
 *     plugin's tables, then Liquibase builds them again and Hibernate validates them. The plugin's data is
 *     lost at every start then, like Broadleaf's own. With {@code cartrecovery.schema.migrate-on-startup=false}
 *     nobody would rebuild them, so the start is refused with a message saying what to change.</li>
 * </ul>
 */
public class SchemaBeforeEntityManager implements BeanFactoryPostProcessor {

    private final String entityManagerFactoryBean;
    private final String schemaBean;
    private final String hbm2ddlAuto;
    private final boolean migrateOnStartup;
    private final String liquibaseBean;
    private final String resetBean;

    public SchemaBeforeEntityManager(String entityManagerFactoryBean, String schemaBean) {
        this(entityManagerFactoryBean, schemaBean, "", true, null, null);
    }

    public SchemaBeforeEntityManager(String entityManagerFactoryBean, String schemaBean, String hbm2ddlAuto,
                                     boolean migrateOnStartup, String liquibaseBean, String resetBean) {
        this.entityManagerFactoryBean = entityManagerFactoryBean;
        this.schemaBean = schemaBean;
        this.hbm2ddlAuto = hbm2ddlAuto == null ? "" : hbm2ddlAuto.trim().toLowerCase(Locale.ROOT);
        this.migrateOnStartup = migrateOnStartup;
        this.liquibaseBean = liquibaseBean;
        this.resetBean = resetBean;
    }

    /** True for the {@code hbm2ddl.auto} values with which Hibernate drops and re-creates every table it maps. */
    public static boolean recreatesTables(String hbm2ddlAuto) {
        String mode = hbm2ddlAuto == null ? "" : hbm2ddlAuto.trim().toLowerCase(Locale.ROOT);
        return mode.equals("create") || mode.equals("create-drop");
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        if (!beanFactory.containsBeanDefinition(entityManagerFactoryBean)) {
            return;
        }
        if (!recreatesTables(hbm2ddlAuto)) {
            addDependsOn(beanFactory.getBeanDefinition(entityManagerFactoryBean), schemaBean);
            return;
        }
        if (!migrateOnStartup) {
            throw new IllegalStateException("Cart Recovery cannot start: blPU.hibernate.hbm2ddl.auto=" + hbm2ddlAuto
                    + " makes Hibernate drop and re-create the plugin's CR_ tables at every start, and"
                    + " cartrecovery.schema.migrate-on-startup=false leaves nobody to rebuild them with the plugin's"
                    + " Liquibase changelog. Set cartrecovery.schema.migrate-on-startup=true (the plugin then rebuilds its"
                    + " tables after Hibernate's export, empty like Broadleaf's), or use blPU.hibernate.hbm2ddl.auto=update,"
                    + " validate or none (docs/install.md, \"Schema\").");
        }
        if (liquibaseBean == null || resetBean == null
                || !beanFactory.containsBeanDefinition(liquibaseBean) || !beanFactory.containsBeanDefinition(resetBean)) {
            throw new IllegalStateException("Cart Recovery cannot start: blPU.hibernate.hbm2ddl.auto=" + hbm2ddlAuto
                    + " needs the beans " + liquibaseBean + " and " + resetBean + " to rebuild the plugin's tables");
        }
        addDependsOn(beanFactory.getBeanDefinition(resetBean), entityManagerFactoryBean);
        addDependsOn(beanFactory.getBeanDefinition(liquibaseBean), resetBean);
    }

    private static void addDependsOn(BeanDefinition bean, String dependency) {
        String[] existing = bean.getDependsOn();
        String[] dependsOn = existing == null ? new String[1] : Arrays.copyOf(existing, existing.length + 1);
        dependsOn[dependsOn.length - 1] = dependency;
        bean.setDependsOn(dependsOn);
    }
}

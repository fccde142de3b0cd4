package io.github.cartrecovery.schema;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes Broadleaf's entity manager factory wait for the plugin's schema bean, so Liquibase creates
 * (and Hibernate validates) the plugin's tables before Broadleaf's {@code hbm2ddl} looks at them.
 * Without this ordering {@code hbm2ddl=update} would create the plugin's tables itself.
 */
public class SchemaBeforeEntityManager implements BeanFactoryPostProcessor {

    private final String entityManagerFactoryBean;
    private final String schemaBean;

    public SchemaBeforeEntityManager(String entityManagerFactoryBean, String schemaBean) {
        this.entityManagerFactoryBean = entityManagerFactoryBean;
        this.schemaBean = schemaBean;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        if (!beanFactory.containsBeanDefinition(entityManagerFactoryBean)) {
            return;
        }
        BeanDefinition emf = beanFactory.getBeanDefinition(entityManagerFactoryBean);
        String[] existing = emf.getDependsOn();
        String[] dependsOn = existing == null ? new String[1] : java.util.Arrays.copyOf(existing, existing.length + 1);
        dependsOn[dependsOn.length - 1] = schemaBean;
        emf.setDependsOn(dependsOn);
    }
}

package io.github.cartrecovery.schema;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Stops the start, before any bean is made, when the store's classpath holds a commons-io or commons-lang3
 * older than the plugin's Liquibase needs. Maven's nearest-wins rule keeps the versions a Broadleaf 3.1 store
 * declares (commons-io 2.1/2.4, commons-lang3 3.3.2) over Liquibase's, and Liquibase then fails deep inside with
 * {@code NoSuchFieldError: UTF_32LE} or {@code NoSuchMethodError}. This check names the jar that won and the pins
 * to add instead. It looks for the classes and members Liquibase 4.33 uses that arrived last in each library.
 */
public class LiquibaseLibraries implements BeanFactoryPostProcessor {

    /** The versions Liquibase 4.33.0 declares; docs/install.md pins the same. */
    public static final String COMMONS_IO = "commons-io:commons-io:2.19.0";
    public static final String COMMONS_LANG3 = "org.apache.commons:commons-lang3:3.17.0";

    private final ClassLoader classLoader;

    public LiquibaseLibraries() {
        this(LiquibaseLibraries.class.getClassLoader());
    }

    public LiquibaseLibraries(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        check();
    }

    /** @throws IllegalStateException naming each library that is too old, the jar it came from and the pin to add */
    public void check() {
        List<String> problems = new ArrayList<String>();
        String io = problem(COMMONS_IO, "org.apache.commons.io.ByteOrderMark",
                new Member("org.apache.commons.io.ByteOrderMark", "UTF_32LE", true),
                new Member("org.apache.commons.io.output.WriterOutputStream", "builder", false));
        if (io != null) {
            problems.add(io);
        }
        String lang = problem(COMMONS_LANG3, "org.apache.commons.lang3.StringUtils",
                new Member("org.apache.commons.lang3.SystemProperties", "getUserName", false),
                new Member("org.apache.commons.lang3.stream.Streams", "of", false));
        if (lang != null) {
            problems.add(lang);
        }
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("Cart Recovery cannot start: its Liquibase needs newer libraries than this store's classpath has.");
            for (String problem : problems) {
                message.append(' ').append(problem);
            }
            message.append(" Maven's nearest-wins rule kept the versions Broadleaf declares: add the dependencies named above to the"
                    + " pom of every webapp that lists the plugin's patch files (site and admin), see docs/install.md, step 1.");
            throw new IllegalStateException(message.toString());
        }
    }

    private String problem(String coordinates, String anchorClass, Member... needed) {
        String jar = jarOf(anchorClass);
        for (Member member : needed) {
            if (!member.presentIn(classLoader)) {
                String artifact = coordinates.substring(0, coordinates.lastIndexOf(':'));
                String version = coordinates.substring(coordinates.lastIndexOf(':') + 1);
                return artifact + " " + version + " or newer is needed (" + member + " is missing), but the classpath has "
                        + (jar == null ? "no " + artifact : jar) + ".";
            }
        }
        return null;
    }

    private String jarOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, classLoader);
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            return location == null ? type.getName() + " from an unknown location" : location.toString();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static final class Member {
        private final String className;
        private final String name;
        private final boolean field;

        Member(String className, String name, boolean field) {
            this.className = className;
            this.name = name;
            this.field = field;
        }

        boolean presentIn(ClassLoader loader) {
            try {
                Class<?> type = Class.forName(className, false, loader);
                if (field) {
                    type.getField(name);
                    return true;
                }
                for (java.lang.reflect.Method method : type.getMethods()) {
                    if (method.getName().equals(name)) {
                        return true;
                    }
                }
                return false;
            } catch (ClassNotFoundException | NoSuchFieldException | LinkageError e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return className + (field ? "." : "#") + name;
        }
    }
}

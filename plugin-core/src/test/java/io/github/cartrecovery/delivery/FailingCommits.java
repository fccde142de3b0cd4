package io.github.cartrecovery.delivery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A view of a real database whose commits fail on one thread while it is "down", as when the database server
 * restarts under a transaction. The first failing commit may reach the server and only lose its answer (the
 * commit happened, the caller cannot know), the later ones roll back.
 */
final class FailingCommits {

    private final DataSource real;
    private volatile Thread victim;
    private volatile boolean answerLost;

    FailingCommits(DataSource real) {
        this.real = real;
    }

    /** From now on commits on this thread fail; the first one commits before it fails when {@code answerLost}. */
    void down(Thread thread, boolean answerLost) {
        this.answerLost = answerLost;
        this.victim = thread;
    }

    void up() {
        victim = null;
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection ? connection((Connection) result) : result;
                });
    }

    private Connection connection(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("commit") && victim == Thread.currentThread()) {
                if (answerLost) {
                    answerLost = false;
                    connection.commit();
                } else {
                    connection.rollback();
                }
                throw new SQLException("connection to the database lost (injected)", "08006");
            }
            return invoke(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.testing.BroadleafWithPlugin;

/**
 * Recording messages SENT (a window above one) writes their missing provider references and event details as typed
 * nulls: given a bare null, Spring asks the driver for the statement's parameter types, and PostgreSQL's driver answers
 * with a round trip of its own for every row of the batch. The real data source, watched for those requests.
 */
@BroadleafWithPlugin
class TypedNullsIT {

    private static final AtomicLong ORDERS = new AtomicLong(871_000_000L);

    @Resource(name = "crDataSource")
    DataSource dataSource;

    final Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void recordingSentAsksTheDriverForNoParameterTypes() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long first = sending(jdbc);
        long second = sending(jdbc);
        AtomicInteger typeLookups = new AtomicInteger();
        PlannedMessages watched = new PlannedMessages(watching(dataSource, typeLookups));

        int moved = watched.sentAll("node-a", List.of(new Object[] {first, now, null}, new Object[] {second, now, null}));

        assertThat(moved).isEqualTo(2);
        assertThat(typeLookups).as("PreparedStatement.getParameterMetaData calls").hasValue(0);
        for (long id : new long[] {first, second}) {
            assertThat(jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id)).isEqualTo("SENT");
            assertThat(jdbc.queryForObject("SELECT PROVIDER_REF FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id)).isNull();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'SENT' "
                    + "AND DETAIL IS NULL", Integer.class, id)).isEqualTo(1);
        }

        MessageEvents.recordAll(new JdbcTemplate(watching(dataSource, typeLookups)),
                java.util.Collections.singletonList(MessageEvents.args(first, MessageEventType.OPENED, null, now)));
        assertThat(typeLookups).as("an event without a detail").hasValue(0);
    }

    private long sending(JdbcTemplate jdbc) {
        long order = ORDERS.incrementAndGet();
        PlannedMessages.plan(jdbc, order, -1, -1, 1, "typed-" + order + "@example.com", "en_US", "EMAIL", now, now);
        long id = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, order);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', CLAIMED_BY = 'node-a', LEASE_UNTIL = ? WHERE ID = ?",
                new Timestamp(now.toEpochMilli()), id);
        return id;
    }

    /** The same data source; its prepared statements count getParameterMetaData calls. */
    private static DataSource watching(DataSource real, AtomicInteger typeLookups) {
        return proxy(DataSource.class, real, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection ? proxy(Connection.class, result, (connection, m, a) -> {
                Object made = m.invoke(connection, a);
                return made instanceof PreparedStatement ? proxy(PreparedStatement.class, made, (statement, s, sa) -> {
                    if (s.getName().equals("getParameterMetaData")) {
                        typeLookups.incrementAndGet();
                    }
                    return s.invoke(statement, sa);
                }) : made;
            }) : result;
        });
    }

    interface Call {
        Object on(Object target, java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object target, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.on(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(TypedNullsIT.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}

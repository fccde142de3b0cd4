package io.github.cartrecovery.rendering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Placeholders for set-based statements ({@code WHERE ID IN (?, ?, ?)}). Batches are bounded by the
 * delivery batch size, so one statement per set is fine on every supported database.
 * <p>
 * Statements run once per chunk use {@link #padded}: an IN list of any length gives a new statement text, which the
 * database parses and plans afresh each time (PostgreSQL's driver prepares a statement on the server only after it
 * saw the same text five times on a connection). Padded to a few lengths, each statement has a few texts, prepared
 * once per connection.
 */
public final class SqlLists {

    private SqlLists() {
    }

    /** "?, ?, ?" for {@code count} values (at least one). */
    public static String placeholders(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        StringBuilder sql = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.toString();
    }

    /**
     * The values, the last one repeated up to the next power of two (1, 2, 4, ..., 64, 128...): an IN list of them
     * matches the same rows, and a statement run with lists of any length has only a few texts. At least one value.
     */
    public static <T> List<T> padded(Collection<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        int size = Integer.highestOneBit(values.size());
        if (size < values.size()) {
            size *= 2;
        }
        List<T> padded = new ArrayList<T>(size);
        padded.addAll(values);
        T last = padded.get(padded.size() - 1);
        while (padded.size() < size) {
            padded.add(last);
        }
        return padded;
    }

    /** The values followed by {@code more}, as JdbcTemplate arguments. */
    public static Object[] args(Collection<?> values, Object... more) {
        List<Object> args = new ArrayList<Object>(values.size() + more.length);
        args.addAll(values);
        Collections.addAll(args, more);
        return args.toArray();
    }
}

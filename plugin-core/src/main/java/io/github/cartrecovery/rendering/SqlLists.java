package io.github.cartrecovery.rendering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Placeholders for set-based statements ({@code WHERE ID IN (?, ?, ?)}). Batches are bounded by the
 * delivery batch size, so one statement per set is fine on every supported database.
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

    /** The values followed by {@code more}, as JdbcTemplate arguments. */
    public static Object[] args(Collection<?> values, Object... more) {
        List<Object> args = new ArrayList<Object>(values.size() + more.length);
        args.addAll(values);
        Collections.addAll(args, more);
        return args.toArray();
    }
}

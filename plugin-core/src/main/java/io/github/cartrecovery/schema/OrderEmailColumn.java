package io.github.cartrecovery.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.database.Database;

/**
 * How Broadleaf's {@code BLC_ORDER.EMAIL_ADDRESS} compares: on MariaDB/MySQL with a case-insensitive
 * collation ({@code *_ci}, Broadleaf's default) a plain comparison ignores case and uses Broadleaf's
 * {@code ORDER_EMAIL_INDEX}; elsewhere a case-insensitive lookup needs {@code LOWER(EMAIL_ADDRESS)}.
 */
public final class OrderEmailColumn {

    private OrderEmailColumn() {
    }

    /** True when {@code EMAIL_ADDRESS = ?} already ignores case (MariaDB/MySQL, *_ci collation). */
    public static boolean ignoresCase(JdbcTemplate jdbc) {
        return jdbc.execute(new ConnectionCallback<Boolean>() {
            @Override
            public Boolean doInConnection(Connection connection) throws SQLException {
                if (!Database.of(connection.getMetaData()).isMariaDbOrMySql()) {
                    return Boolean.FALSE;
                }
                PreparedStatement collation = connection.prepareStatement("SELECT COLLATION_NAME FROM "
                        + "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND UPPER(TABLE_NAME) = 'BLC_ORDER' "
                        + "AND UPPER(COLUMN_NAME) = 'EMAIL_ADDRESS'");
                try {
                    ResultSet rs = collation.executeQuery();
                    String name = rs.next() ? rs.getString(1) : null;
                    rs.close();
                    return Boolean.valueOf(name != null && name.toLowerCase(Locale.ROOT).endsWith("_ci"));
                } finally {
                    collation.close();
                }
            }
        });
    }
}

package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.github.cartrecovery.rendering.SqlLists;

/**
 * The frequency caps of {@link ExitRules}: one on all channels together and one per channel, each counting the
 * recovery messages of the shopper's address (CR_PLANNED_MESSAGE.EMAIL, set on every channel's messages) sent within
 * its window, and those about to be sent or being sent right now (PREPARED by an earlier chunk, SENDING). A chunk's
 * counts take one statement whatever the number of caps (a column per distinct window). Immutable.
 */
final class FrequencyCaps {

    private final FrequencyCap allChannels;
    private final boolean perTrigger;
    private final Map<String, FrequencyCap> byChannel;
    /** The distinct windows of the caps in force, longest first. */
    private final List<Duration> windows = new ArrayList<Duration>();

    FrequencyCaps(FrequencyCap allChannels, Collection<FrequencyCap> channelCaps) {
        this(allChannels, channelCaps, false);
    }

    /**
     * @param perTrigger true: each trigger's messages (CR_PLANNED_MESSAGE.TRIGGER_TYPE) are capped on their own
     *                   ({@code cartrecovery.delivery.frequency-cap.per-trigger}); false: every trigger counts together
     */
    FrequencyCaps(FrequencyCap allChannels, Collection<FrequencyCap> channelCaps, boolean perTrigger) {
        this.perTrigger = perTrigger;
        this.allChannels = allChannels;
        Map<String, FrequencyCap> caps = new LinkedHashMap<String, FrequencyCap>();
        for (FrequencyCap cap : channelCaps) {
            if (cap.getChannel() == null) {
                throw new IllegalArgumentException("a channel's frequency cap needs the channel's name");
            }
            if (cap.isCapped()) {
                caps.put(cap.getChannel(), cap);
            }
        }
        this.byChannel = caps;
        if (allChannels.isCapped()) {
            windows.add(allChannels.getWindow());
        }
        for (FrequencyCap cap : caps.values()) {
            if (!windows.contains(cap.getWindow())) {
                windows.add(cap.getWindow());
            }
        }
        Collections.sort(windows, Collections.reverseOrder());
    }

    boolean any() {
        return !windows.isEmpty();
    }

    /** What the counts are kept by: the address, or the address and the message's trigger when capped per trigger. */
    String key(String email, String triggerType) {
        return perTrigger ? email + '\n' + triggerType : email;
    }

    /**
     * Per address and channel, the messages within each window. The statement, for W windows:
     * {@code SELECT EMAIL, CHANNEL, TRIGGER_TYPE, SUM(CASE WHEN STATUS IN ('PREPARED', 'SENDING') OR SENT_AT > ? THEN 1 ELSE 0 END)
     * x W FROM CR_PLANNED_MESSAGE WHERE EMAIL IN (...) AND (SENT_AT > ? OR STATUS IN ('PREPARED', 'SENDING'))
     * GROUP BY EMAIL, CHANNEL, TRIGGER_TYPE} (IX_CR_PLANNED_EMAIL_SENT).
     */
    Counts count(JdbcTemplate jdbc, Set<String> emails, Instant now) {
        final Counts counts = new Counts();
        if (!any() || emails.isEmpty()) {
            return counts;
        }
        StringBuilder sql = new StringBuilder("SELECT EMAIL, CHANNEL, TRIGGER_TYPE");
        List<Object> args = new ArrayList<Object>();
        for (Duration window : windows) {
            sql.append(", SUM(CASE WHEN STATUS IN ('PREPARED', 'SENDING') OR SENT_AT > ? THEN 1 ELSE 0 END)");
            args.add(new Timestamp(now.minus(window).toEpochMilli()));
        }
        List<String> padded = SqlLists.padded(emails);
        sql.append(" FROM CR_PLANNED_MESSAGE WHERE EMAIL IN (").append(SqlLists.placeholders(padded.size()))
                .append(") AND (SENT_AT > ? OR STATUS IN ('PREPARED', 'SENDING')) GROUP BY EMAIL, CHANNEL, TRIGGER_TYPE");
        args.addAll(padded);
        args.add(new Timestamp(now.minus(windows.get(0)).toEpochMilli()));
        jdbc.query(sql.toString(), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                int[] inWindows = counts.of(key(rs.getString(1), rs.getString(3)), rs.getString(2));
                for (int i = 0; i < inWindows.length; i++) {
                    inWindows[i] += rs.getInt(4 + i);
                }
            }
        }, args.toArray());
        return counts;
    }

    /** One chunk's counts; messages of the chunk that may go are added as they are checked, in list order. */
    final class Counts {
        private final Map<String, Map<String, int[]>> byAddress = new HashMap<String, Map<String, int[]>>();

        private int[] of(String email, String channel) {
            Map<String, int[]> channels = byAddress.get(email);
            if (channels == null) {
                channels = new HashMap<String, int[]>();
                byAddress.put(email, channels);
            }
            int[] inWindows = channels.get(channel);
            if (inWindows == null) {
                inWindows = new int[windows.size()];
                channels.put(channel, inWindows);
            }
            return inWindows;
        }

        /**
         * The cap this message would exceed (its channel's first, then all channels'), or null: then it is counted, as
         * if sent before the next message of the chunk is checked. {@code email}: the address, or {@link #key} of it.
         */
        Exit check(String email, String channel) {
            if (windows.isEmpty()) {
                return null;
            }
            FrequencyCap own = byChannel.get(channel);
            if (own != null && of(email, channel)[windows.indexOf(own.getWindow())] >= own.getMessages()) {
                return Exit.of(ExitReason.CHANNEL_FREQUENCY_CAP, own.describe());
            }
            if (allChannels.isCapped()) {
                int window = windows.indexOf(allChannels.getWindow());
                int sent = 0;
                Map<String, int[]> channels = byAddress.get(email);
                if (channels != null) {
                    for (int[] inWindows : channels.values()) {
                        sent += inWindows[window];
                    }
                }
                if (sent >= allChannels.getMessages()) {
                    return Exit.of(ExitReason.FREQUENCY_CAP, allChannels.describe());
                }
            }
            int[] inWindows = of(email, channel);
            for (int i = 0; i < inWindows.length; i++) {
                inWindows[i]++;
            }
            return null;
        }
    }
}

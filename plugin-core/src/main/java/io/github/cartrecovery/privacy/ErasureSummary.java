package io.github.cartrecovery.privacy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one erasure changed: rows per table, the messages it stopped, and the messages that were on the wire
 * (SENDING) and could not be stopped. Immutable.
 */
public final class ErasureSummary {

    private final String email;
    private final Map<String, Integer> rowsPerTable;
    private final int messagesStopped;
    private final int messagesInFlight;
    private final boolean stillSuppressed;

    ErasureSummary(String email, Map<String, Integer> rowsPerTable, int messagesStopped, int messagesInFlight,
                   boolean stillSuppressed) {
        this.email = email;
        this.rowsPerTable = Collections.unmodifiableMap(new LinkedHashMap<String, Integer>(rowsPerTable));
        this.messagesStopped = messagesStopped;
        this.messagesInFlight = messagesInFlight;
        this.stillSuppressed = stillSuppressed;
    }

    /** The normalised address the request was for (the caller's own input: not stored anywhere). */
    public String getEmail() { return email; }
    /** Rows changed or deleted per table (tables with none are left out). */
    public Map<String, Integer> getRowsPerTable() { return rowsPerTable; }
    public int getTotalRows() {
        int total = 0;
        for (int rows : rowsPerTable.values()) {
            total += rows;
        }
        return total;
    }
    /** Planned, claimed or prepared messages to the address that will now never be sent (SKIPPED, outcome ERASED). */
    public int getMessagesStopped() { return messagesStopped; }
    /**
     * Messages that were being handed to the mail server at that moment (SENDING): they may still go out, and their
     * outcome is still recorded. Erase again a minute later to clear anything that outcome wrote.
     */
    public int getMessagesInFlight() { return messagesInFlight; }
    /** True when the address was suppressed: it stays suppressed through a keyed hash. */
    public boolean isStillSuppressed() { return stillSuppressed; }

    @Override
    public String toString() {
        return "erased " + getTotalRows() + " rows " + rowsPerTable + ", stopped " + messagesStopped + " messages"
                + (messagesInFlight > 0 ? ", " + messagesInFlight + " on the wire" : "")
                + (stillSuppressed ? ", still suppressed" : "");
    }
}

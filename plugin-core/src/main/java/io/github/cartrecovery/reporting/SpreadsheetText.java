package io.github.cartrecovery.reporting;

/**
 * A text cell a spreadsheet shows as text, never runs: Excel, LibreOffice and Google Sheets treat a cell that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return as a formula (CSV injection,
 * OWASP). Such text gets a leading single quote, which the spreadsheet shows as text. Numbers the plugin computes
 * are written as they are (a negative amount stays a number); every cell that holds text goes through here.
 */
public final class SpreadsheetText {

    private static final String FORMULA_STARTS = "=+-@\t\r";

    private SpreadsheetText() {
    }

    /** The text, with a leading single quote when a spreadsheet would read it as a formula; null stays null. */
    public static String of(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}

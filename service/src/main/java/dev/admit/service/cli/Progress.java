package dev.admit.service.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a long command on standard error: on a terminal one line rewritten in place a few times a second,
 * otherwise a line every few seconds (for logs). Each shows what is done, the rate and, with a total, the time left.
 */
final class Progress {

    private static final long TERMINAL_EVERY = 200_000_000L;
    private static final long LOG_EVERY = 5_000_000_000L;

    private final String command;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastShown = started;
    private boolean shownInPlace;

    Progress(String command, String unit, PrintStream out, boolean terminal) {
        this.command = command;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
    }

    static Progress onStandardError(String command, String unit) {
        return new Progress(command, unit, System.err, System.console() != null);
    }

    /** @param total what it counts towards, or a negative number if unknown */
    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - lastShown < (terminal ? TERMINAL_EVERY : LOG_EVERY)) {
            return;
        }
        lastShown = now;
        String line = describe(done, total, now);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            shownInPlace = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the progress display with the command's one summary line. */
    void finish(String summary) {
        if (shownInPlace) {
            out.print("\r\u001b[K");
        }
        out.println(command + ": " + summary);
        out.flush();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    double perSecond(long done) {
        double seconds = (System.nanoTime() - started) / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    private String describe(long done, long total, long now) {
        double rate = done / Math.max(1e-9, (now - started) / 1e9);
        StringBuilder line = new StringBuilder(command).append(": ").append(count(done));
        if (total >= 0) {
            line.append(" of ").append(count(total)).append(' ').append(unit);
            if (total > 0) {
                line.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, done * 100 / total)));
            }
        } else {
            line.append(' ').append(unit);
        }
        line.append(", ").append(count((long) rate)).append('/').append('s');
        if (total > done && rate > 0) {
            line.append(", ETA ").append(clock(Duration.ofSeconds((long) ((total - done) / rate))));
        }
        return line.toString();
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}

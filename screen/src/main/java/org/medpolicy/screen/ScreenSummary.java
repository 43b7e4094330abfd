package org.medpolicy.screen;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** What a screen did: lines read, results written, rejects, counts by outcome and by governing authority, speed. Immutable. */
public record ScreenSummary(long inputLines, long results, long rejected, Map<String, Long> byOutcome, Map<String, Long> byGovernedBy,
                            Duration elapsed) {

    public ScreenSummary {
        byOutcome = Map.copyOf(byOutcome);
        byGovernedBy = Map.copyOf(byGovernedBy);
    }

    public double linesPerSecond() {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        return inputLines / seconds;
    }

    /** The summary as a person reads it. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("screened %,d input lines into %,d results, %,d rejected, in %.1f s (%,.0f lines/s)%n",
                inputLines, results, rejected, elapsed.toMillis() / 1000.0, linesPerSecond()));
        text.append("by outcome:");
        new TreeMap<>(byOutcome).forEach((outcome, count) -> text.append(String.format(" %s %,d;", outcome, count)));
        text.append(System.lineSeparator()).append("by governedBy:");
        new TreeMap<>(byGovernedBy).forEach((id, count) -> text.append(String.format(" %s %,d;", id, count)));
        return text.append(System.lineSeparator()).toString();
    }
}

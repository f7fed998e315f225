package org.crmkit.workflow.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** A Unix cron expression (five fields) in a time zone, parsed and evaluated by cron-utils. */
final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** Parses; throws {@link IllegalArgumentException} with the parser's reason. */
    static CronSchedule parse(String cron, String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "'");
        }
        if (cron.length() > 200) {
            throw new IllegalArgumentException("cron expression longer than 200 characters");
        }
        try {
            return new CronSchedule(ExecutionTime.forCron(PARSER.parse(cron).validate()), z);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Unix cron expression (minute hour day month weekday): "
                    + e.getMessage());
        }
    }

    /** The first fire time strictly after {@code after}. */
    Optional<Instant> next(Instant after) {
        return times.nextExecution(after.atZone(zone)).map(java.time.ZonedDateTime::toInstant);
    }
}

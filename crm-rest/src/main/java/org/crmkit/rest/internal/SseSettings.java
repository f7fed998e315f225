package org.crmkit.rest.internal;

import java.time.Duration;

/**
 * The limits of the live change stream ({@code GET /changes}).
 *
 * @param heartbeat  how often a {@code : keep-alive} comment is sent on a quiet stream
 * @param poll       how often a stream looks at the change log without a wake-up (changes committed by other nodes)
 * @param maxPending how many events a connection may have waiting to be written
 * @param stall      how long the waiting events may stay at {@code maxPending} without the client taking one before
 *                   it is dropped as too slow
 * @param maxStreams how many streams the server holds at once; more are answered 503
 * @param grace      how long a dropped client has to take the final error event before its connection is cut
 */
public record SseSettings(Duration heartbeat, Duration poll, int maxPending, Duration stall, int maxStreams,
        Duration grace) {}

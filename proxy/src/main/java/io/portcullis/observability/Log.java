package io.portcullis.observability;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's log: lines go through a bounded queue to one writer thread, so a slow stderr (a full pipe,
 * a stalled journald) never blocks an event loop. When the queue is full a line is dropped and counted.
 */
public final class Log {
    private static final int CAPACITY = 8192;
    private static final BlockingQueue<String> QUEUE = new ArrayBlockingQueue<>(CAPACITY);
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final PrintStream OUT = System.err;

    static {
        Thread writer = new Thread(Log::drain, "portcullis-log");
        writer.setDaemon(true);
        writer.start();
    }

    private Log() {}

    public static void info(String message) {
        offer("INFO", message);
    }

    public static void warn(String message) {
        offer("WARN", message);
    }

    public static void error(String message) {
        offer("ERROR", message);
    }

    /** Lines dropped because the queue was full. */
    public static long dropped() {
        return DROPPED.get();
    }

    private static void offer(String level, String message) {
        String line = Instant.now() + " " + level + " " + message;
        if (!QUEUE.offer(line)) {
            DROPPED.incrementAndGet();
        }
    }

    /** Waits (bounded) until queued lines are written; used before the process exits. */
    public static void flush() {
        for (int i = 0; i < 100 && !QUEUE.isEmpty(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        OUT.flush();
    }

    private static void drain() {
        while (true) {
            try {
                OUT.println(QUEUE.take());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}

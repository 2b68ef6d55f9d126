package io.cronexecutor.pubsub;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The executor the Pub/Sub clients run on inside the container: a plain scheduled pool whose few
 * threads come from the container's managed thread factory, so they carry the application's
 * context without it being captured and applied task by task.
 *
 * <p>Why not the container's {@code ManagedScheduledExecutorService}: every client subscriber
 * schedules an ack flush every 100 ms and a few more periodic tasks, and Open Liberty's managed
 * executor scans all its outstanding futures on each {@code schedule} call. With 1,000 jobs that
 * made scheduling quadratic: about half a core busy while idle (a third of that on this pool),
 * and a slower start of the subscribers.
 */
public final class ClientExecutor {

    /** As in the engine's own JVM: enough for acks, leases and callbacks of any number of jobs, since none of them blocks. */
    static final int THREADS = 4;

    private ClientExecutor() {
    }

    public static ScheduledExecutorService create(ThreadFactory threads) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS, threads);
        // A stopped subscriber cancels its periodic tasks; drop them at once rather than when they come due.
        pool.setRemoveOnCancelPolicy(true);
        // It is shut down after the clients are closed: delayed tasks still queued then have nothing left to serve.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }
}

package io.cronexecutor.pubsub.embedded;

import java.time.Duration;

/** Between protobuf and java.time durations. */
final class Durations {

    private Durations() {
    }

    static Duration of(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    static com.google.protobuf.Duration proto(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}

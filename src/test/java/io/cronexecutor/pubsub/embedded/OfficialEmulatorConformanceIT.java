package io.cronexecutor.pubsub.embedded;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same suite against the official Cloud Pub/Sub emulator, where its jar is installed: what
 * passes here and on the embedded broker is behaviour the two agree on.
 */
class OfficialEmulatorConformanceIT extends PubSubConformanceSuite {

    @Override
    protected PubSubTarget startTarget() {
        Path jar = OfficialEmulator.jar().orElse(null);
        assumeTrue(jar != null, "the official Pub/Sub emulator is not installed under " + OfficialEmulator.LIB);
        return OfficialEmulator.start(jar);
    }
}

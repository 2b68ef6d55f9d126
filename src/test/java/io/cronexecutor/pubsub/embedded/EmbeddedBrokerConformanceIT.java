package io.cronexecutor.pubsub.embedded;

/** The conformance suite against the embedded broker (in memory, on a clock the tests can move). */
class EmbeddedBrokerConformanceIT extends PubSubConformanceSuite {

    @Override
    protected PubSubTarget startTarget() {
        return new EmbeddedTarget(null);
    }
}

package io.cronexecutor.run;

/** Settles a tick with the broker: ack (done with it) or nack (redeliver it). */
public interface TickReply {

    void ack();

    void nack();
}

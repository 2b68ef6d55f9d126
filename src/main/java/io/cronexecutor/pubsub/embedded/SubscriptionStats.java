package io.cronexecutor.pubsub.embedded;

/**
 * Counters of one subscription since the broker started; tests and benchmarks read them to prove
 * what happened on the wire (a redelivery, a lease renewal) rather than infer it from timing.
 *
 * @param published        messages the subscription received from its topic
 * @param deliveries       messages handed to a subscriber, redeliveries included
 * @param redeliveries     deliveries of a message that had been delivered before
 * @param leaseExpiries    leases that lapsed without an ack
 * @param nacks            leases handed back with a deadline of 0
 * @param deadlineRenewals ModifyAckDeadline extensions (non-zero deadlines)
 * @param acks             messages acknowledged
 * @param pending          messages waiting to be delivered, backing-off ones included
 * @param outstanding      messages leased and not yet acked
 * @param deadLettered     messages forwarded to the dead-letter topic
 * @param retentionDrops   unacked messages dropped for being older than the retention
 * @param invalidAckIds    acks and deadline changes naming a lapsed, superseded or unknown ack id
 */
public record SubscriptionStats(
        long published,
        long deliveries,
        long redeliveries,
        long leaseExpiries,
        long nacks,
        long deadlineRenewals,
        long acks,
        int pending,
        int outstanding,
        long deadLettered,
        long retentionDrops,
        long invalidAckIds) {
}

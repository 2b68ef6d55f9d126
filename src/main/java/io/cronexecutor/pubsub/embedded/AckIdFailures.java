package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.util.Map;
import java.util.Set;

/**
 * The failure an exactly-once subscription answers for acks and deadline changes of ack ids that
 * lapsed or were superseded. The Java client reads the ErrorInfo metadata, keyed by ack id, and
 * completes each message's ack future with {@code AckResponse.INVALID} for a permanent failure.
 */
final class AckIdFailures {

    static final String REASON = "EXACTLY_ONCE_ACKID_FAILURE";
    static final String INVALID_ACK_ID = "PERMANENT_FAILURE_INVALID_ACK_ID";

    private AckIdFailures() {
    }

    static StatusRuntimeException invalid(Set<String> ackIds) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(REASON).setDomain("pubsub.googleapis.com");
        for (String ackId : ackIds) {
            info.putMetadata(ackId, INVALID_ACK_ID);
        }
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage("Some acknowledgement ids in the request were invalid: they expired or were superseded")
                .addDetails(Any.pack(info.build()))
                .build());
    }

    static Map<String, String> metadata(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return Map.of();
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class).getMetadataMap();
                } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                    return Map.of();
                }
            }
        }
        return Map.of();
    }
}

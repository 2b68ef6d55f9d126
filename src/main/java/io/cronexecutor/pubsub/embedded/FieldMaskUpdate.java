package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;

import java.util.Set;

/** Applies an Update* request: copies the masked fields, refusing unknown and immutable ones as Pub/Sub does. */
final class FieldMaskUpdate {

    private FieldMaskUpdate() {
    }

    @SuppressWarnings("unchecked")
    static <M extends Message> M apply(M existing, M update, FieldMask mask, Set<String> immutable) {
        if (mask.getPathsCount() == 0) {
            throw SubscriptionRules.invalid("update_mask must name at least one field");
        }
        Message.Builder builder = existing.toBuilder();
        for (String path : mask.getPathsList()) {
            FieldDescriptor field = existing.getDescriptorForType().findFieldByName(path);
            if (field == null) {
                throw SubscriptionRules.invalid("update_mask names an unknown field: " + path);
            }
            if (immutable.contains(path)) {
                throw SubscriptionRules.invalid("field " + path + " cannot be updated");
            }
            builder.clearField(field);
            boolean present = field.isRepeated() ? update.getRepeatedFieldCount(field) > 0
                    : field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || update.hasField(field);
            if (present) {
                builder.setField(field, update.getField(field));
            }
        }
        return (M) builder.build();
    }
}

package io.cronexecutor.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A run record as bytes, field by field behind a version number, so that a history written by
 * one version of the service is read by the next without Java serialization.
 */
final class RunRecordCodec {

    private static final int VERSION = 1;

    private RunRecordCodec() {
    }

    static byte[] encode(RunRecord run) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + run.output().length() * 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            text(out, run.id());
            text(out, run.job());
            text(out, run.trigger());
            text(out, run.messageId());
            out.writeInt(run.deliveryAttempt());
            instant(out, run.startedAt());
            instant(out, run.endedAt());
            out.writeBoolean(run.exitCode() != null);
            out.writeInt(run.exitCode() == null ? 0 : run.exitCode());
            text(out, run.state().name());
            text(out, run.settlement() == null ? null : run.settlement().name());
            longText(out, run.output());
            out.writeBoolean(run.outputTruncated());
            text(out, run.detail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static RunRecord decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("run record of unknown version " + version);
            }
            String id = text(in);
            String job = text(in);
            String trigger = text(in);
            String messageId = text(in);
            int attempt = in.readInt();
            Instant startedAt = instant(in);
            Instant endedAt = instant(in);
            boolean hasExit = in.readBoolean();
            int exit = in.readInt();
            RunState state = RunState.valueOf(text(in));
            String settlement = text(in);
            String output = longText(in);
            boolean truncated = in.readBoolean();
            String detail = text(in);
            return new RunRecord(id, job, trigger, messageId, attempt, startedAt, endedAt, hasExit ? exit : null, state,
                    settlement == null ? null : Settlement.valueOf(settlement), output, truncated, detail);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable run record: " + e, e);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            longText(out, value);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? longText(in) : null;
    }

    // writeUTF stops at 64 KiB; output tails may be larger.
    private static void longText(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String longText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}

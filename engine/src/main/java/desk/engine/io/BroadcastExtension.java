package desk.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code bext} chunk of a Broadcast Wave file (EBU Tech 3285, version 2): what the file is, who made it and
 * when, where it starts on the session's timeline ({@code timeReference}, in samples), how it was coded, and,
 * for a loudness-normalised file, its loudness readings (NaN where not measured: written as the standard's
 * "not set", 0x7FFF). Text fields are ASCII and are cut to their fixed widths.
 * <p>
 * Threads: immutable; any thread.
 *
 * @param description         free text, up to 256 characters
 * @param originator          the maker, up to 32 characters
 * @param originatorReference a reference of the maker's, up to 32 characters
 * @param originationDate     yyyy-mm-dd
 * @param originationTime     hh:mm:ss
 * @param timeReference       the first sample's position, in samples from the session's start
 * @param integratedLufs      integrated loudness, LUFS
 * @param loudnessRangeLu     loudness range, LU
 * @param maxTruePeakDbtp     maximum true peak, dBTP
 * @param maxMomentaryLufs    maximum momentary loudness, LUFS
 * @param maxShortTermLufs    maximum short-term loudness, LUFS
 * @param codingHistory       lines such as {@code A=PCM,F=48000,W=24,M=stereo,T=Desk}, each ending in CR LF
 */
public record BroadcastExtension(String description, String originator, String originatorReference,
                                 String originationDate, String originationTime, long timeReference,
                                 double integratedLufs, double loudnessRangeLu, double maxTruePeakDbtp,
                                 double maxMomentaryLufs, double maxShortTermLufs, String codingHistory) {
    /** Bytes of the chunk's fixed part, before the coding history. */
    public static final int FIXED_BYTES = 602;
    private static final int VERSION = 2;
    private static final short NOT_SET = 0x7FFF;

    /** Checks the fields. */
    public BroadcastExtension {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(originator, "originator");
        Objects.requireNonNull(originatorReference, "originatorReference");
        Objects.requireNonNull(originationDate, "originationDate");
        Objects.requireNonNull(originationTime, "originationTime");
        Objects.requireNonNull(codingHistory, "codingHistory");
        if (timeReference < 0) {
            throw new IllegalArgumentException("timeReference " + timeReference + " is negative");
        }
    }

    /** The same with these loudness readings. */
    public BroadcastExtension withLoudness(double integrated, double range, double truePeak, double momentary,
                                           double shortTerm) {
        return new BroadcastExtension(description, originator, originatorReference, originationDate,
                originationTime, timeReference, integrated, range, truePeak, momentary, shortTerm, codingHistory);
    }

    /** Bytes of the chunk's body, even (padded with a zero byte when the coding history is odd). */
    public int bodyBytes() {
        int bytes = FIXED_BYTES + codingHistory.getBytes(StandardCharsets.US_ASCII).length;
        return bytes + (bytes & 1);
    }

    /** The chunk's body, little-endian, {@link #bodyBytes()} long. */
    public byte[] encode() {
        ByteBuffer body = ByteBuffer.allocate(bodyBytes()).order(ByteOrder.LITTLE_ENDIAN);
        text(body, description, 256);
        text(body, originator, 32);
        text(body, originatorReference, 32);
        text(body, originationDate, 10);
        text(body, originationTime, 8);
        body.putInt((int) timeReference);
        body.putInt((int) (timeReference >>> 32));
        body.putShort((short) VERSION);
        body.position(body.position() + 64);
        body.putShort(centi(integratedLufs));
        body.putShort(centi(loudnessRangeLu));
        body.putShort(centi(maxTruePeakDbtp));
        body.putShort(centi(maxMomentaryLufs));
        body.putShort(centi(maxShortTermLufs));
        body.position(FIXED_BYTES);
        body.put(codingHistory.getBytes(StandardCharsets.US_ASCII));
        return body.array();
    }

    /** A reading in hundredths, as the standard stores it; not set when NaN or infinite. */
    private static short centi(double value) {
        if (!Double.isFinite(value)) {
            return NOT_SET;
        }
        return (short) Math.max(-32768, Math.min(32766, Math.round(value * 100)));
    }

    private static void text(ByteBuffer body, String value, int width) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int start = body.position();
        body.put(bytes, 0, Math.min(width, bytes.length));
        body.position(start + width);
    }
}

package desk.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Builds WAV files byte by byte for reader tests, so every layout under test is known exactly. */
final class WavBytes {
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String container = "RIFF";

    /** Appends a chunk with its true size and, when the size is odd, a pad byte. */
    WavBytes chunk(String id, byte[] body) {
        return chunk(id, body.length, body);
    }

    /** Appends a chunk whose header claims {@code declaredSize} bytes whatever the body holds. */
    WavBytes chunk(String id, long declaredSize, byte[] body) {
        chunks.writeBytes(ascii(id));
        chunks.writeBytes(le32((int) declaredSize));
        chunks.writeBytes(body);
        if ((body.length & 1) != 0 && declaredSize == body.length) {
            chunks.write(0);
        }
        return this;
    }

    WavBytes container(String id) {
        container = id;
        return this;
    }

    byte[] bytes() {
        byte[] body = chunks.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(ascii(container));
        file.writeBytes(le32(body.length + 4));
        file.writeBytes(ascii("WAVE"));
        file.writeBytes(body);
        return file.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    /** A 16-byte fmt chunk body (18 bytes with a zero cbSize for non-PCM tags, as most writers do). */
    static byte[] fmt(int tag, int channels, int sampleRate, int bitsPerSample) {
        int blockAlign = channels * ((bitsPerSample + 7) / 8);
        ByteBuffer fmt = little(tag == AudioFileInfo.WAVE_FORMAT_PCM ? 16 : 18);
        fmt.putShort((short) tag).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bitsPerSample);
        return fmt.array();
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk body with the standard subformat GUID for {@code subTag}. */
    static byte[] fmtExtensible(int subTag, int channels, int sampleRate, int containerBits, int validBits) {
        int blockAlign = channels * containerBits / 8;
        ByteBuffer fmt = little(40);
        fmt.putShort((short) AudioFileInfo.WAVE_FORMAT_EXTENSIBLE).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) containerBits)
                .putShort((short) 22).putShort((short) validBits).putInt((1 << channels) - 1)
                .putShort((short) subTag).put(hex("000000001000800000aa00389b71"));
        return fmt.array();
    }

    static byte[] pcm8(int... unsignedValues) {
        byte[] bytes = new byte[unsignedValues.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) unsignedValues[i];
        }
        return bytes;
    }

    static byte[] pcm16(int... values) {
        ByteBuffer bytes = little(values.length * 2);
        for (int value : values) {
            bytes.putShort((short) value);
        }
        return bytes.array();
    }

    static byte[] pcm24(int... values) {
        byte[] bytes = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            bytes[3 * i] = (byte) values[i];
            bytes[3 * i + 1] = (byte) (values[i] >> 8);
            bytes[3 * i + 2] = (byte) (values[i] >> 16);
        }
        return bytes;
    }

    static byte[] pcm32(int... values) {
        ByteBuffer bytes = little(values.length * 4);
        for (int value : values) {
            bytes.putInt(value);
        }
        return bytes.array();
    }

    static byte[] float32(float... values) {
        ByteBuffer bytes = little(values.length * 4);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return bytes.array();
    }

    static byte[] float64(double... values) {
        ByteBuffer bytes = little(values.length * 8);
        for (double value : values) {
            bytes.putDouble(value);
        }
        return bytes.array();
    }

    static byte[] le32(int value) {
        return little(4).putInt(value).array();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replaceAll("\\s", ""));
    }

    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}

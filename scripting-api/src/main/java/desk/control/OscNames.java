package desk.control;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Strip, bus and scene names as one part of an OSC address. OSC reserves space, {@code # * , / ? [ ] { }}
 * in addresses, so those, {@code %} itself, control characters and anything beyond ASCII are written as
 * {@code %XX} escapes of their UTF-8 bytes, as in URLs: the strip "Lead Vox" is
 * {@code /desk/strip/Lead%20Vox/fader}, "Drums/Room" is {@code Drums%2FRoom}.
 * <p>
 * Threads: any.
 */
public final class OscNames {
    private static final String RESERVED = " #*,/?[]{}%";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private OscNames() {
    }

    /** {@code name} as an address part. */
    public static String escape(String name) {
        StringBuilder part = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || RESERVED.indexOf(c) >= 0) {
                part.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                part.append((char) c);
            }
        }
        return part.toString();
    }

    /** The name an address part stands for; null when an escape in it is malformed. */
    public static String unescape(String part) {
        if (part.indexOf('%') < 0) {
            return part;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= part.length()) {
                return null;
            }
            int high = Character.digit(part.charAt(i + 1), 16);
            int low = Character.digit(part.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

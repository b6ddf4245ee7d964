package desk.engine.midi;

import desk.engine.RealTime;

/**
 * How the engine keeps a MIDI channel message on the audio thread: status and two data bytes packed into one
 * int, so messages travel through preallocated int arrays.
 * <p>
 * Threads: any thread; allocation-free.
 */
public final class MidiMessages {
    private MidiMessages() {
    }

    /** Packs a status byte and two data bytes (each masked to seven bits) into one int. */
    @RealTime
    public static int pack(int status, int data1, int data2) {
        return (status & 0xFF) << 16 | (data1 & 0x7F) << 8 | (data2 & 0x7F);
    }

    /** The status byte of a packed message. */
    @RealTime
    public static int status(int message) {
        return message >>> 16;
    }

    /** The first data byte of a packed message. */
    @RealTime
    public static int data1(int message) {
        return (message >>> 8) & 0x7F;
    }

    /** The second data byte of a packed message. */
    @RealTime
    public static int data2(int message) {
        return message & 0x7F;
    }
}

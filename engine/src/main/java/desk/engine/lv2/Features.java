package desk.engine.lv2;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import desk.engine.Limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The features Desk gives a plugin as it starts, in native memory: the URID map and unmap, the options (the
 * sample rate and the shortest and longest block {@code run} is called with) and the promise of bounded block
 * lengths. One set per sample rate, shared by every instance at that rate; an instance with a worker gets them with
 * its own {@link Worker#SCHEDULE} added. Threads: made and read on the control thread, under {@link Lv2World}'s lock.
 */
final class Features {
    static final String URID_MAP = "http://lv2plug.in/ns/ext/urid#map";
    static final String URID_UNMAP = "http://lv2plug.in/ns/ext/urid#unmap";
    static final String OPTIONS_FEATURE = "http://lv2plug.in/ns/ext/options#options";
    static final String BOUNDED_BLOCK = "http://lv2plug.in/ns/ext/buf-size#boundedBlockLength";
    static final String MIN_BLOCK = "http://lv2plug.in/ns/ext/buf-size#minBlockLength";
    static final String MAX_BLOCK = "http://lv2plug.in/ns/ext/buf-size#maxBlockLength";
    static final String SAMPLE_RATE = "http://lv2plug.in/ns/ext/parameters#sampleRate";
    private static final String ATOM_INT = "http://lv2plug.in/ns/ext/atom#Int";
    private static final String ATOM_FLOAT = "http://lv2plug.in/ns/ext/atom#Float";
    /** The features Desk gives. */
    static final Set<String> GIVEN = Set.of(URID_MAP, URID_UNMAP, OPTIONS_FEATURE, BOUNDED_BLOCK);
    /** Features plugins list as required that ask nothing of the host Desk does not do anyway. */
    static final Set<String> PLUGIN_ONLY = Set.of("http://lv2plug.in/ns/lv2core#hardRTCapable",
            "http://lv2plug.in/ns/lv2core#inPlaceBroken", "http://lv2plug.in/ns/lv2core#isLive");
    /** The options Desk gives. */
    static final Set<String> OPTIONS = Set.of(MIN_BLOCK, MAX_BLOCK, SAMPLE_RATE);
    /** Bytes of one {@code LV2_Options_Option}: context, subject, key, size, type (4 each), padding, value. */
    private static final int OPTION_BYTES = 32;

    private final List<Memory> kept = new ArrayList<>();
    private final List<Pointer> given;
    private final Memory array;

    Features(Urids urids, int sampleRate) {
        Memory values = keep(new Memory(12));
        values.setInt(0, 1);
        values.setInt(4, Limits.MAX_BLOCK);
        values.setFloat(8, sampleRate);
        Memory options = keep(new Memory(OPTION_BYTES * 4L));
        options.clear();
        option(options, 0, urids.map(MIN_BLOCK), urids.map(ATOM_INT), values.share(0));
        option(options, 1, urids.map(MAX_BLOCK), urids.map(ATOM_INT), values.share(4));
        option(options, 2, urids.map(SAMPLE_RATE), urids.map(ATOM_FLOAT), values.share(8));
        given = List.of(feature(URID_MAP, urids.mapStruct()), feature(URID_UNMAP, urids.unmapStruct()),
                feature(OPTIONS_FEATURE, options), feature(BOUNDED_BLOCK, null));
        array = keep(new Memory((given.size() + 1L) * Native.POINTER_SIZE));
        for (int i = 0; i < given.size(); i++) {
            array.setPointer((long) i * Native.POINTER_SIZE, given.get(i));
        }
        array.setPointer((long) given.size() * Native.POINTER_SIZE, null);
    }

    /** The null-terminated {@code const LV2_Feature* const*} array. */
    Pointer array() {
        return array;
    }

    /**
     * These features and one more, {@code uri} with {@code data}, as a null-terminated array in one block of native
     * memory, which the caller keeps as long as the plugin may read it.
     */
    Memory arrayWith(String uri, Pointer data) {
        byte[] text = uri.getBytes(StandardCharsets.US_ASCII);
        long arrayBytes = (given.size() + 2L) * Native.POINTER_SIZE;
        long featureAt = arrayBytes;
        long textAt = featureAt + 2L * Native.POINTER_SIZE;
        Memory block = new Memory(textAt + text.length + 1);
        for (int i = 0; i < given.size(); i++) {
            block.setPointer((long) i * Native.POINTER_SIZE, given.get(i));
        }
        block.setPointer((long) given.size() * Native.POINTER_SIZE, block.share(featureAt));
        block.setPointer((given.size() + 1L) * Native.POINTER_SIZE, null);
        block.setPointer(featureAt, block.share(textAt));
        block.setPointer(featureAt + Native.POINTER_SIZE, data);
        block.write(textAt, text, 0, text.length);
        block.setByte(textAt + text.length, (byte) 0);
        return block;
    }

    private static void option(Memory options, int index, int key, int type, Pointer value) {
        long at = (long) index * OPTION_BYTES;
        options.setInt(at, 0);
        options.setInt(at + 4, 0);
        options.setInt(at + 8, key);
        options.setInt(at + 12, 4);
        options.setInt(at + 16, type);
        options.setPointer(at + 24, value);
    }

    private Pointer feature(String uri, Pointer data) {
        byte[] bytes = uri.getBytes(StandardCharsets.US_ASCII);
        Memory text = keep(new Memory(bytes.length + 1L));
        text.write(0, bytes, 0, bytes.length);
        text.setByte(bytes.length, (byte) 0);
        Memory feature = keep(new Memory(2L * Native.POINTER_SIZE));
        feature.setPointer(0, text);
        feature.setPointer(Native.POINTER_SIZE, data);
        return feature;
    }

    private Memory keep(Memory memory) {
        kept.add(memory);
        return memory;
    }
}

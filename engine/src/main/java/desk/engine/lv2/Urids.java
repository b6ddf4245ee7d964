package desk.engine.lv2;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LV2 URID map of the process: one number per URI, the same for every plugin, and back. Plugins reach it
 * through the {@code urid:map} and {@code urid:unmap} features, whose structs this holds in native memory.
 * Threads: any thread (plugins map while they start, off the audio thread); synchronised.
 */
final class Urids {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<Memory> uris = new ArrayList<>();
    private final MapFunction mapFunction = (handle, uri) -> map(uri);
    private final UnmapFunction unmapFunction = (handle, urid) -> unmap(urid);
    private final Memory mapStruct = struct(CallbackReference.getFunctionPointer(mapFunction));
    private final Memory unmapStruct = struct(CallbackReference.getFunctionPointer(unmapFunction));

    /** {@code LV2_URID (*map)(LV2_URID_Map_Handle, const char* uri)}. */
    interface MapFunction extends Callback {
        int invoke(Pointer handle, String uri);
    }

    /** {@code const char* (*unmap)(LV2_URID_Unmap_Handle, LV2_URID)}. */
    interface UnmapFunction extends Callback {
        Pointer invoke(Pointer handle, int urid);
    }

    /** The URID of {@code uri}, made on first use (from 1; 0 means none). */
    synchronized int map(String uri) {
        if (uri == null) {
            return 0;
        }
        Integer id = ids.get(uri);
        if (id == null) {
            byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
            Memory text = new Memory(bytes.length + 1L);
            text.write(0, bytes, 0, bytes.length);
            text.setByte(bytes.length, (byte) 0);
            uris.add(text);
            id = uris.size();
            ids.put(uri, id);
        }
        return id;
    }

    /** The URI of {@code urid} as a C string that lives as long as the process, or null. */
    synchronized Pointer unmap(int urid) {
        return urid >= 1 && urid <= uris.size() ? uris.get(urid - 1) : null;
    }

    /** The {@code LV2_URID_Map} struct: a null handle and the map function. */
    Pointer mapStruct() {
        return mapStruct;
    }

    /** The {@code LV2_URID_Unmap} struct: a null handle and the unmap function. */
    Pointer unmapStruct() {
        return unmapStruct;
    }

    private static Memory struct(Pointer function) {
        Memory struct = new Memory(2L * Native.POINTER_SIZE);
        struct.setPointer(0, null);
        struct.setPointer(Native.POINTER_SIZE, function);
        return struct;
    }
}

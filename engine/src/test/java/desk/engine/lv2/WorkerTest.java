package desk.engine.lv2;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LV2 worker's parts: the message ring between threads, and the schedule function a plugin calls from
 * {@code run}, reached as a plugin reaches it (through its feature in the features array) and called through libffi
 * as from native code, allocating nothing on the calling thread. (The whole round trip, with a real plugin loading
 * a file on its worker, is in {@code Lv2HostTest}.)
 */
class WorkerTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aRingCarriesMessagesOfEverySizeAcrossItsEndAndRefusesWhatDoesNotFit() {
        WorkRing ring = new WorkRing(64);
        Memory in = new Memory(64);
        Memory out = new Memory(64);
        Random random = new Random(7);
        for (int message = 0; message < 2_000; message++) {
            int size = random.nextInt(61);
            byte[] sent = new byte[size];
            random.nextBytes(sent);
            in.write(0, sent, 0, size);
            assertTrue(ring.rtWrite(Pointer.nativeValue(in), size), "message " + message);
            assertEquals(size, ring.rtRead(Pointer.nativeValue(out)));
            assertArrayEquals(sent, out.getByteArray(0, size), "message " + message + ", " + size + " bytes");
        }
        assertEquals(-1, ring.rtRead(Pointer.nativeValue(out)), "an empty ring gives nothing");
        assertFalse(ring.rtWrite(Pointer.nativeValue(in), 61), "60 bytes is the most a 64-byte ring carries");
        assertTrue(ring.rtWrite(Pointer.nativeValue(in), 28));
        assertFalse(ring.rtWrite(Pointer.nativeValue(in), 29), "32 bytes used, 36 more do not fit");
        assertTrue(ring.rtWrite(Pointer.nativeValue(in), 28), "32 more do");
        assertFalse(ring.rtWrite(Pointer.nativeValue(in), 0), "a full ring takes nothing");
    }

    @Test
    void aPluginSchedulingWorkThroughItsFeatureAllocatesNothing() throws Exception {
        assertNull(Worker.UNAVAILABLE);
        Features shared = new Features(new Urids(), 48_000);
        try (Worker worker = new Worker(0)) {
            Pointer schedule = scheduleFeature(worker.features(shared));
            long handle = Pointer.nativeValue(schedule.getPointer(0));
            long function = Pointer.nativeValue(schedule.getPointer(Native.POINTER_SIZE));
            assertNotEquals(0, handle, "plugins are given a handle that is not null");
            Ffi.Signature call = Ffi.signature(Ffi.Type.POINTER, Ffi.Type.UINT32, Ffi.Type.POINTER);
            Memory request = new Memory(16);
            request.setLong(0, 42);
            Memory values = new Memory(6L * Native.POINTER_SIZE);
            values.setLong(0, handle);
            values.setInt(Native.POINTER_SIZE, 8);
            values.setPointer(2L * Native.POINTER_SIZE, request);
            for (int i = 0; i < 3; i++) {
                values.setPointer((3L + i) * Native.POINTER_SIZE, values.share((long) i * Native.POINTER_SIZE));
            }
            long pointers = Pointer.nativeValue(values) + 3L * Native.POINTER_SIZE;
            int quiet = 0;
            for (int round = 0; round < 40 && quiet < 4; round++) {
                quiet = allocatedOver(call, function, pointers, 2_000) == 0 ? quiet + 1 : 0;
            }
            assertEquals(0, allocatedOver(call, function, pointers, 20_000),
                    "bytes allocated by 20,000 calls of schedule_work (accepted, then refused once the ring is full)");
        }
    }

    private static long allocatedOver(Ffi.Signature call, long function, long pointers, int calls) {
        long start = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            call.rtCall(function, pointers);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }

    /** The data of the worker schedule feature in a null-terminated {@code LV2_Feature*} array, as a plugin finds it. */
    private static Pointer scheduleFeature(Pointer features) {
        for (int i = 0; ; i++) {
            Pointer feature = features.getPointer((long) i * Native.POINTER_SIZE);
            assertTrue(feature != null, "the features hold " + Worker.SCHEDULE);
            if (feature.getPointer(0).getString(0, "US-ASCII").equals(Worker.SCHEDULE)) {
                return feature.getPointer(Native.POINTER_SIZE);
            }
        }
    }
}

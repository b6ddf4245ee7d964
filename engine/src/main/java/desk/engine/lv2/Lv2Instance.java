package desk.engine.lv2;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.NativeCalls;

import java.util.Arrays;

/**
 * One running instance of an LV2 plugin, with its ports connected to native buffers it owns: an audio buffer of
 * {@link Limits#MAX_BLOCK} frames per audio port, one float per control port, and an atom sequence buffer per
 * atom port (kept empty on the way in; its capacity renewed on the way out), and a {@link Worker} if the plugin does
 * work in the background. It takes the strip's channels from {@code firstChannel} on. Threads: made, restarted and
 * freed on the control thread; {@link #rtRun} on the audio
 * thread (and on the control thread before the instance reaches it).
 */
final class Lv2Instance {
    /** The smallest atom buffer, bytes; a port that asks for more (resize-port's minimum size) gets that. */
    static final int ATOM_BYTES = 8192;
    private static final int DESCRIPTOR_CONNECT = 2;
    private static final int DESCRIPTOR_ACTIVATE = 3;
    private static final int DESCRIPTOR_RUN = 4;
    private static final int DESCRIPTOR_DEACTIVATE = 5;
    private static final Ffi.Signature RUN = Ffi.signature(Ffi.Type.POINTER, Ffi.Type.UINT32);

    private final Worker worker;
    private final Pointer instance;
    private final Pointer handle;
    private final Pointer descriptor;
    private final long run;
    private final int firstChannel;
    private final Memory[] audioIn;
    private final Memory[] audioOut;
    private final Memory[] sideIn;
    private final Memory[] atomIn;
    private final Memory[] atomOut;
    private final int[] atomOutBytes;
    private final Memory controls;
    private final float[] written;
    private final int sequenceType;
    private final int chunkType;
    /** {@code run}'s arguments: the handle (8 bytes), the frame count (4), and the pointers to both (16). */
    private final Memory arguments = new Memory(32);
    private final long argumentPointers;
    private boolean active;

    Lv2Instance(Lv2World world, Lv2World.Entry entry, int sampleRate, int firstChannel) {
        PortLayout layout = entry.layout();
        this.firstChannel = firstChannel;
        this.sequenceType = world.urid("http://lv2plug.in/ns/ext/atom#Sequence");
        this.chunkType = world.urid("http://lv2plug.in/ns/ext/atom#Chunk");
        this.worker = entry.usesWorker() ? new Worker(NativeCalls.controlInsert()) : null;
        try {
            this.instance = world.instantiate(entry, sampleRate, worker);
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.close();
            }
            throw e;
        }
        this.descriptor = instance.getPointer(0);
        this.handle = instance.getPointer(Native.POINTER_SIZE);
        if (worker != null) {
            try {
                worker.attach(descriptor, handle);
            } catch (RuntimeException e) {
                worker.close();
                world.free(instance);
                throw e;
            }
        }
        this.run = Pointer.nativeValue(function(DESCRIPTOR_RUN));
        this.controls = new Memory(4L * Math.max(1, layout.portCount()));
        controls.clear();
        this.written = new float[layout.parameterPort().length];
        Arrays.fill(written, Float.NaN);
        audioIn = buffers(layout.audioInputs().length, 4L * Limits.MAX_BLOCK);
        audioOut = buffers(layout.audioOutputs().length, 4L * Limits.MAX_BLOCK);
        sideIn = buffers(layout.sideChainInputs().length, 4L * Limits.MAX_BLOCK);
        atomIn = atomBuffers(layout.atomInputs(), layout.atomBytes());
        atomOut = atomBuffers(layout.atomOutputs(), layout.atomBytes());
        atomOutBytes = Arrays.stream(layout.atomOutputs()).map(port -> layout.atomBytes()[port]).toArray();
        connect(layout.audioInputs(), audioIn);
        connect(layout.audioOutputs(), audioOut);
        connect(layout.sideChainInputs(), sideIn);
        connect(layout.atomInputs(), atomIn);
        connect(layout.atomOutputs(), atomOut);
        for (int port : layout.parameterPort()) {
            connectPort(port, controls.share(4L * port));
        }
        for (int port : layout.controlOutputs()) {
            connectPort(port, controls.share(4L * port));
        }
        for (int port : layout.optional()) {
            connectPort(port, null);
        }
        arguments.setPointer(0, handle);
        arguments.setPointer(16, arguments.share(0));
        arguments.setPointer(24, arguments.share(8));
        argumentPointers = Pointer.nativeValue(arguments) + 16;
        activate();
    }

    /**
     * Runs {@code frames} frames of {@code io} through the plugin, in place, with the parameters {@code values};
     * its side-chain inputs hear {@code key} (null: the strip's own signal).
     */
    @RealTime
    void rtRun(float[][] io, int frames, float[][] key, double[] values, PortLayout layout) {
        for (int j = 0; j < audioIn.length; j++) {
            audioIn[j].write(0, io[firstChannel + j], 0, frames);
        }
        for (int j = 0; j < sideIn.length; j++) {
            float[] heard = key != null ? key[firstChannel + j] : io[firstChannel + j % audioIn.length];
            sideIn[j].write(0, heard, 0, frames);
        }
        int[] ports = layout.parameterPort();
        for (int k = 0; k < ports.length; k++) {
            float value = layout.rtPortValue(k, values[k]);
            if (Float.floatToRawIntBits(value) != Float.floatToRawIntBits(written[k])) {
                controls.setFloat(4L * ports[k], value);
                written[k] = value;
            }
        }
        for (Memory atoms : atomIn) {
            atoms.setInt(0, 8);
            atoms.setInt(4, sequenceType);
        }
        for (int j = 0; j < atomOut.length; j++) {
            atomOut[j].setInt(0, atomOutBytes[j] - 8);
            atomOut[j].setInt(4, chunkType);
        }
        arguments.setInt(8, frames);
        if (worker != null) {
            worker.rtBeforeRun();
        }
        RUN.rtCall(run, argumentPointers);
        if (worker != null) {
            worker.rtAfterRun();
        }
        for (int j = 0; j < audioOut.length; j++) {
            audioOut[j].read(0, io[firstChannel + j], 0, frames);
        }
    }

    /** The {@code LilvInstance} pointer. */
    Pointer instance() {
        return instance;
    }

    /** The plugin's worker, or null if it has none. */
    Worker worker() {
        return worker;
    }

    /** Whether the plugin's background work is waited for within the block that asks for it (see {@link Worker}). */
    void waitForWork(boolean wait) {
        if (worker != null) {
            worker.waitForWork(wait);
        }
    }

    /** The value the plugin last wrote to control output {@code port}. */
    float controlOutput(int port) {
        return controls.getFloat(4L * port);
    }

    /** Deactivates and activates the plugin: it forgets what it has heard. */
    void restart() {
        deactivate();
        activate();
    }

    /** Deactivates (if active), stops its worker and frees the instance. */
    void free(Lv2World world) {
        deactivate();
        if (worker != null) {
            worker.close();
        }
        world.free(instance);
    }

    private void activate() {
        Pointer activate = function(DESCRIPTOR_ACTIVATE);
        if (activate != null) {
            Function.getFunction(activate).invoke(Void.class, new Object[]{handle});
        }
        active = true;
    }

    private void deactivate() {
        if (!active) {
            return;
        }
        Pointer deactivate = function(DESCRIPTOR_DEACTIVATE);
        if (deactivate != null) {
            Function.getFunction(deactivate).invoke(Void.class, new Object[]{handle});
        }
        active = false;
    }

    private Pointer function(int slot) {
        return descriptor.getPointer((long) slot * Native.POINTER_SIZE);
    }

    private void connect(int[] ports, Memory[] buffers) {
        for (int i = 0; i < ports.length; i++) {
            buffers[i].clear();
            connectPort(ports[i], buffers[i]);
        }
    }

    private void connectPort(int port, Pointer data) {
        Function.getFunction(function(DESCRIPTOR_CONNECT)).invoke(Void.class, new Object[]{handle, port, data});
    }

    private static Memory[] atomBuffers(int[] ports, int[] bytes) {
        Memory[] made = new Memory[ports.length];
        for (int i = 0; i < ports.length; i++) {
            made[i] = new Memory(bytes[ports[i]]);
        }
        return made;
    }

    private static Memory[] buffers(int count, long bytes) {
        Memory[] made = new Memory[count];
        for (int i = 0; i < count; i++) {
            made[i] = new Memory(bytes);
        }
        return made;
    }
}

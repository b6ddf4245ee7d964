package desk.engine.lv2;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import desk.engine.RealTime;
import desk.engine.insert.NativeCalls;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The LV2 worker of one plugin instance (the worker extension): the plugin schedules work from {@code run} on the
 * audio thread, the work is done on the worker thread, and the plugin's answers are handed back to it on the audio
 * thread after its next {@code run}, followed by {@code end_run}. Requests and answers travel through two
 * {@link WorkRing}s. The plugin reaches Desk through JNA direct callbacks, which pass and return plain numbers and
 * so allocate nothing on the audio thread. Live, the work is done whenever the worker thread gets to it (it looks
 * every millisecond); in an offline render the audio thread waits for it before and after each {@code run}, so the
 * answers reach the plugin in the same block on every render.
 * <p>
 * Threads: made, attached, switched offline and closed on the control thread; the {@code rt} methods on the audio
 * thread (and on the control thread while a plugin restores its state); the work on the worker thread.
 */
final class Worker implements AutoCloseable {
    /** The feature a plugin schedules work through. */
    static final String SCHEDULE = "http://lv2plug.in/ns/ext/worker#schedule";
    /** The extension data through which a plugin does its work and takes the answers. */
    static final String INTERFACE = "http://lv2plug.in/ns/ext/worker#interface";
    private static final int SUCCESS = 0;
    private static final int UNKNOWN = 1;
    private static final int NO_SPACE = 2;
    /** Bytes of each ring: room for many requests of the size plugins send (a path, a pointer, a few numbers). */
    private static final int RING_BYTES = 1 << 16;
    private static final long POLL_NANOS = 1_000_000;
    private static final long OFFLINE_POLL_NANOS = 20_000;
    /** The longest an offline render waits for one block's work before it goes on without the answers. */
    private static final long OFFLINE_WAIT_LIMIT_NANOS = 60_000_000_000L;
    private static final Ffi.Signature WORK = Ffi.signature(Ffi.Type.POINTER, Ffi.Type.POINTER, Ffi.Type.POINTER,
            Ffi.Type.UINT32, Ffi.Type.POINTER);
    private static final Ffi.Signature WORK_RESPONSE = Ffi.signature(Ffi.Type.POINTER, Ffi.Type.UINT32,
            Ffi.Type.POINTER);
    private static final Ffi.Signature END_RUN = Ffi.signature(Ffi.Type.POINTER);
    private static final int P = Native.POINTER_SIZE;

    /** The C type of both functions a plugin calls: {@code LV2_Worker_Status (*)(void*, uint32_t, const void*)}. */
    interface Sender extends Callback {
        int callback(long handle, int size, long data);
    }

    /** {@code schedule_work}: the plugin asks for work, from {@code run}. */
    private static final class Schedule implements Sender {
        @Override
        @RealTime
        public int callback(long handle, int size, long data) {
            Worker worker = rtFind(handle);
            return worker == null ? UNKNOWN : worker.rtRequest(size, data);
        }
    }

    /** {@code respond}: the plugin answers, from its {@code work}, on the worker thread. */
    private static final class Respond implements Sender {
        @Override
        public int callback(long handle, int size, long data) {
            Worker worker = rtFind(handle);
            return worker == null ? UNKNOWN : worker.responses.rtWrite(data, size) ? SUCCESS : NO_SPACE;
        }
    }

    private static final Sender SCHEDULE_SENDER = new Schedule();
    private static final Sender RESPOND_SENDER = new Respond();
    private static final long[] FUNCTIONS = new long[2];
    /** Why no plugin can have a worker in this process, or null when they can. */
    static final String UNAVAILABLE = directCallbacks();
    private static final Object LOCK = new Object();
    /** Workers by handle; replaced whole on every change, so the audio thread reads a complete table. */
    private static volatile Worker[] table = new Worker[0];
    private static volatile Thread thread;

    private final int handle;
    private final int insertId;
    private final WorkRing requests = new WorkRing(RING_BYTES);
    private final WorkRing responses = new WorkRing(RING_BYTES);
    /** {@code LV2_Worker_Schedule}: the handle, then {@code schedule_work}. */
    private final Memory schedule = new Memory(2L * P);
    private final Memory workBody = new Memory(RING_BYTES);
    private final Memory answerBody = new Memory(RING_BYTES);
    /** The argument values of {@code work}, then the pointers to them that libffi takes. */
    private final Memory workArguments = new Memory(10L * P);
    private final Memory answerArguments = new Memory(6L * P);
    private final Memory endRunArguments = new Memory(2L * P);
    private Memory features;
    private final long workBodyAddress = Pointer.nativeValue(workBody);
    private final long answerBodyAddress = Pointer.nativeValue(answerBody);
    private final long workPointers = Pointer.nativeValue(workArguments) + 5L * P;
    private final long answerPointers = Pointer.nativeValue(answerArguments) + 3L * P;
    private final long endRunPointers = Pointer.nativeValue(endRunArguments) + P;
    private volatile long work;
    private long workResponse;
    private long endRun;
    private volatile long requested;
    private volatile long served;
    private volatile boolean offline;
    private volatile boolean closed;
    private volatile boolean serving;

    /** A worker for a plugin of insert {@code insertId}, registered so the plugin can find it by its handle. */
    Worker(int insertId) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        this.insertId = insertId;
        this.handle = register(this);
        schedule.setPointer(0, new Pointer(handle + 1L));
        schedule.setPointer(P, new Pointer(FUNCTIONS[0]));
    }

    /** {@code shared} with {@link #SCHEDULE} added, pointing at this worker; kept as long as the worker is. */
    Pointer features(Features shared) {
        if (features == null) {
            features = shared.arrayWith(SCHEDULE, schedule);
        }
        return features;
    }

    /**
     * Takes the plugin's worker interface from {@code descriptor}, for its instance {@code instanceHandle}; throws if
     * it has none.
     */
    void attach(Pointer descriptor, Pointer instanceHandle) {
        Pointer extensionData = descriptor.getPointer(7L * P);
        Pointer found = extensionData == null ? null
                : (Pointer) Function.getFunction(extensionData).invoke(Pointer.class, new Object[]{INTERFACE});
        if (found == null || found.getPointer(0) == null || found.getPointer(P) == null) {
            throw new IllegalStateException("it asks for a worker but gives no worker interface");
        }
        long instance = Pointer.nativeValue(instanceHandle);
        long workBase = Pointer.nativeValue(workArguments);
        workArguments.setLong(0, instance);
        workArguments.setLong(P, FUNCTIONS[1]);
        workArguments.setLong(2L * P, handle + 1L);
        workArguments.setLong(4L * P, Pointer.nativeValue(workBody));
        for (int i = 0; i < 5; i++) {
            workArguments.setLong((5L + i) * P, workBase + (long) i * P);
        }
        long answerBase = Pointer.nativeValue(answerArguments);
        answerArguments.setLong(0, instance);
        answerArguments.setLong(2L * P, Pointer.nativeValue(answerBody));
        for (int i = 0; i < 3; i++) {
            answerArguments.setLong((3L + i) * P, answerBase + (long) i * P);
        }
        endRunArguments.setLong(0, instance);
        endRunArguments.setLong(P, Pointer.nativeValue(endRunArguments));
        workResponse = Pointer.nativeValue(found.getPointer(P));
        Pointer end = found.getPointer(2L * P);
        endRun = end == null ? 0 : Pointer.nativeValue(end);
        work = Pointer.nativeValue(found.getPointer(0));
    }

    /**
     * Whether the thread that runs the plugin waits for the work each block asks for: always in an offline render,
     * and while the plugin's latency is read.
     */
    void waitForWork(boolean wait) {
        offline = wait;
        wake();
    }

    /** Before {@code run}: offline, waits for the work asked for so far and hands the plugin its answers. */
    @RealTime
    void rtBeforeRun() {
        if (offline) {
            rtAwaitWork();
            rtDeliver();
        }
    }

    /** After {@code run}: hands the plugin the answers ready (offline, after waiting for them), then ends the run. */
    @RealTime
    void rtAfterRun() {
        if (offline) {
            rtAwaitWork();
        }
        rtDeliver();
        if (endRun != 0) {
            END_RUN.rtCall(endRun, endRunPointers);
        }
    }

    @RealTime
    private int rtRequest(int size, long data) {
        if (closed || !requests.rtWrite(data, size)) {
            return NO_SPACE;
        }
        requested = requested + 1;
        return SUCCESS;
    }

    @RealTime
    private void rtDeliver() {
        if (workResponse == 0) {
            return;
        }
        int size;
        while ((size = responses.rtRead(answerBodyAddress)) >= 0) {
            answerArguments.setInt(P, size);
            WORK_RESPONSE.rtCall(workResponse, answerPointers);
        }
    }

    /** Offline only: wakes the worker thread and waits (within a limit) until it has done every request. */
    @RealTime
    private void rtAwaitWork() {
        if (served == requested) {
            return;
        }
        Thread serving = thread;
        if (serving != null) {
            LockSupport.unpark(serving);
        }
        long deadline = System.nanoTime() + OFFLINE_WAIT_LIMIT_NANOS;
        while (served != requested && !closed && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(OFFLINE_POLL_NANOS);
        }
    }

    /** Does the work requested so far. Worker thread. */
    private void serve() {
        serving = true;
        try {
            if (closed || work == 0) {
                return;
            }
            int size;
            while ((size = requests.rtRead(workBodyAddress)) >= 0) {
                workArguments.setInt(3L * P, size);
                NativeCalls.enterWorker(insertId);
                try {
                    WORK.rtCall(work, workPointers);
                } finally {
                    NativeCalls.leaveWorker();
                }
                served = served + 1;
            }
        } finally {
            serving = false;
        }
    }

    /** Stops serving the plugin, waiting for work under way to end; before the plugin is freed. Control thread. */
    @Override
    public void close() {
        closed = true;
        while (serving) {
            LockSupport.parkNanos(POLL_NANOS / 10);
        }
        unregister(this);
    }

    /** The worker whose plugin was given {@code given} as its handle (the worker's place in the table, plus one). */
    @RealTime
    private static Worker rtFind(long given) {
        Worker[] all = table;
        return given < 1 || given > all.length ? null : all[(int) given - 1];
    }

    private static int register(Worker worker) {
        synchronized (LOCK) {
            Worker[] all = table;
            int free = 0;
            while (free < all.length && all[free] != null) {
                free++;
            }
            Worker[] made = Arrays.copyOf(all, Math.max(all.length, free + 1));
            made[free] = worker;
            table = made;
            if (thread == null) {
                Thread started = new Thread(Worker::serveAll, "desk-lv2-worker");
                started.setDaemon(true);
                thread = started;
                started.start();
            }
            return free;
        }
    }

    private static void unregister(Worker worker) {
        synchronized (LOCK) {
            Worker[] made = table.clone();
            made[worker.handle] = null;
            table = made;
        }
    }

    private static void wake() {
        Thread serving = thread;
        if (serving != null) {
            LockSupport.unpark(serving);
        }
    }

    /** The worker thread: serves every worker, then sleeps a millisecond; ends when no worker is left. */
    private static void serveAll() {
        while (true) {
            boolean any = false;
            for (Worker worker : table) {
                if (worker != null) {
                    any = true;
                    worker.serve();
                }
            }
            if (!any) {
                synchronized (LOCK) {
                    if (Arrays.stream(table).allMatch(w -> w == null)) {
                        thread = null;
                        return;
                    }
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Makes the two functions plugins call, as JNA direct callbacks (plain numbers in and out, so calling them
     * allocates nothing); JNA makes a callback direct only through a method it keeps private, reached here by
     * reflection. Returns why that failed, or null.
     */
    private static String directCallbacks() {
        try {
            Method pointer = CallbackReference.class.getDeclaredMethod("getFunctionPointer", Callback.class,
                    boolean.class);
            pointer.setAccessible(true);
            FUNCTIONS[0] = Pointer.nativeValue((Pointer) pointer.invoke(null, SCHEDULE_SENDER, true));
            FUNCTIONS[1] = Pointer.nativeValue((Pointer) pointer.invoke(null, RESPOND_SENDER, true));
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "the LV2 worker needs JNA's direct callbacks, which this JNA does not offer: " + e;
        }
    }
}

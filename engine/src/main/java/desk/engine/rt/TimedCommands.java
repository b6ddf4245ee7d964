package desk.engine.rt;

import desk.engine.RealTime;

/**
 * The commands the audio side holds until their sample: a binary heap ordered by due time, then by
 * arrival, with a pool of spare slots to swap into the ring for each command it takes out. Nothing is
 * allocated after construction.
 * <p>
 * Threads: the ring's consumer only (the audio thread, or the control thread while no audio thread runs).
 */
final class TimedCommands {
    private final Command[] heap;
    private int size;
    private final Command[] spares;
    private int spareCount;
    private long sequence;

    /** Room for {@code capacity} commands due later. */
    TimedCommands(int capacity) {
        heap = new Command[capacity];
        spares = new Command[capacity];
        for (int i = 0; i < capacity; i++) {
            spares[i] = new Command();
        }
        spareCount = capacity;
    }

    /** Whether any command waits. */
    @RealTime
    boolean rtIsEmpty() {
        return size == 0;
    }

    /** The due time of the earliest waiting command; only when {@link #rtIsEmpty} is false. */
    @RealTime
    long rtNextTime() {
        return heap[0].time;
    }

    /** Whether a spare slot is left to swap into the ring for one more command taken out of it. */
    @RealTime
    boolean rtHasRoom() {
        return spareCount > 0;
    }

    /** Takes the ring's oldest command out of it, swapping a spare in, and keeps it until its time. */
    @RealTime
    void rtHold(CommandRing ring) {
        Command spare = spares[--spareCount];
        spares[spareCount] = null;
        rtAdd(ring.rtTake(spare));
    }

    /** Removes the earliest waiting command; the caller gives it back with {@link #rtRecycle} once applied. */
    @RealTime
    Command rtPoll() {
        Command first = heap[0];
        Command last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int parent = 0;
            while (true) {
                int child = 2 * parent + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && rtEarlier(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!rtEarlier(heap[child], last)) {
                    break;
                }
                heap[parent] = heap[child];
                parent = child;
            }
            heap[parent] = last;
        }
        return first;
    }

    /** Returns an applied command's slot to the spares, dropping what it referred to. */
    @RealTime
    void rtRecycle(Command command) {
        command.rtClear();
        spares[spareCount++] = command;
    }

    @RealTime
    private void rtAdd(Command command) {
        command.sequence = sequence++;
        int child = size++;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (!rtEarlier(command, heap[parent])) {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = command;
    }

    @RealTime
    private static boolean rtEarlier(Command a, Command b) {
        return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
    }
}

package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiEvent;
import desk.engine.midi.MidiMessages;
import desk.engine.midi.MidiOutgoing;
import desk.engine.midi.MidiReportSink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The audio side of MIDI: the messages that arrived in this callback (from the backend's ports, or injected
 * by a timed command), each stamped with its engine sample; the {@link MidiMap} that turns controls into
 * parameter values, setting faders on the message's own sample; the messages waiting to go out of the
 * backend's output ports; and a ring that reports every message received, with what its binding made of it,
 * to the control side. Everything is preallocated: a full inbox, outbox or report ring drops the message and
 * counts it.
 * <p>
 * Threads: {@code rt} methods on the audio thread (or the control thread while no audio thread runs);
 * {@link #drain} and {@link #dropped} on the control side under the engine's lock.
 */
public final class MidiRouter implements MidiOutgoing {
    /** The most messages one callback takes in or sends out. */
    public static final int BLOCK_CAPACITY = 4096;
    /** How many reports can wait for the control side. */
    public static final int REPORT_CAPACITY = 1 << 14;
    private static final int CHANNELS = 16;
    private static final int CC_DATA_ENTRY = 6;
    private static final int CC_DATA_ENTRY_FINE = 38;
    private static final int CC_NRPN_FINE = 98;
    private static final int CC_NRPN_COARSE = 99;
    private static final double FOURTEEN_BITS = 16383.0;

    private final long[] inTime = new long[BLOCK_CAPACITY];
    private final int[] inPort = new int[BLOCK_CAPACITY];
    private final int[] inMessage = new int[BLOCK_CAPACITY];
    private int inCount;
    private int inNext;
    private final long[] outTime = new long[BLOCK_CAPACITY];
    private final int[] outPort = new int[BLOCK_CAPACITY];
    private final int[] outMessage = new int[BLOCK_CAPACITY];
    private int outCount;
    /** Per port and channel: the NRPN parameter selected (coarse and fine halves), or -1. */
    private final int[] nrpnParameter = new int[MidiBinding.MAX_PORTS * CHANNELS];
    private final int[] nrpnCoarse = new int[MidiBinding.MAX_PORTS * CHANNELS];
    private final float[] faderValue = new float[1];
    private MidiMap map = MidiMap.NONE;

    private final MidiReportTable reports = new MidiReportTable(REPORT_CAPACITY);
    private final AtomicLong reportHead = new AtomicLong();
    private final AtomicLong reportTail = new AtomicLong();
    private volatile long dropped;

    MidiRouter() {
        java.util.Arrays.fill(nrpnParameter, -1);
    }

    /**
     * A message arrived on input port {@code port} at engine sample {@code time} (this callback's samples or
     * later): kept, in time order, until the block loop reaches it.
     */
    @RealTime
    public void rtReceive(int port, long time, int message) {
        if (inCount == BLOCK_CAPACITY || port < 0 || port >= MidiBinding.MAX_PORTS) {
            dropped = dropped + 1;
            return;
        }
        int place = inCount++;
        while (place > inNext && inTime[place - 1] > time) {
            inTime[place] = inTime[place - 1];
            inPort[place] = inPort[place - 1];
            inMessage[place] = inMessage[place - 1];
            place--;
        }
        inTime[place] = time;
        inPort[place] = port;
        inMessage[place] = message;
    }

    /**
     * The engine sample of the next message waiting, or {@link Long#MAX_VALUE} when none waits: after
     * {@link #rtDispatch}, the next that sets a fader, the only kind the block is cut for.
     */
    @RealTime
    long rtNextTime() {
        return inNext < inCount ? inTime[inNext] : Long.MAX_VALUE;
    }

    /**
     * Handles, through the map, every message due by engine sample {@code now}, and those after it up to the
     * first that sets a fader, which waits for its sample; reports each with its own sample. Only a fader is
     * set on the audio thread, so only its messages need the block cut at them: a storm of other messages
     * costs no extra spans.
     */
    @RealTime
    void rtDispatch(long now, boolean started) {
        while (inNext < inCount && (inTime[inNext] <= now || !rtSetsFader(inPort[inNext], inMessage[inNext]))) {
            rtHandle(inTime[inNext], inPort[inNext], inMessage[inNext], started);
            inNext++;
        }
        if (inNext == inCount) {
            inNext = 0;
            inCount = 0;
        }
    }

    @RealTime
    private void rtHandle(long time, int port, int message, boolean started) {
        int status = MidiMessages.status(message);
        int data1 = MidiMessages.data1(message);
        int data2 = MidiMessages.data2(message);
        int channel = status & 0x0F;
        MidiMap.Binding binding = null;
        double position = Double.NaN;
        switch (status & 0xF0) {
            case 0xB0 -> {
                binding = map.rtController(port, channel, data1);
                if (binding != null) {
                    position = rtControllerPosition(binding, data1, data2);
                } else {
                    binding = rtNrpn(port, channel, data1, data2);
                    if (binding != null) {
                        int coarse = nrpnCoarse[port * CHANNELS + channel];
                        position = (data1 == CC_DATA_ENTRY ? coarse << 7 : coarse << 7 | data2) / FOURTEEN_BITS;
                    }
                }
            }
            case 0xE0 -> {
                binding = map.rtBend(port, channel);
                position = (data2 << 7 | data1) / FOURTEEN_BITS;
            }
            default -> {
            }
        }
        if (binding == null) {
            rtReport(time, port, message, MidiEvent.UNBOUND, Double.NaN, false);
            return;
        }
        if (!binding.rtMove(position)) {
            rtReport(time, port, message, binding.spec.id(), Double.NaN, false);
            return;
        }
        double value = binding.spec.value(position);
        boolean applied = binding.fader != null;
        if (applied) {
            faderValue[0] = (float) Math.pow(10.0, value / 20.0);
            if (started) {
                binding.fader.rtRampTo(faderValue);
            } else {
                binding.fader.rtJump(faderValue);
            }
        }
        rtReport(time, port, message, binding.spec.id(), value, applied);
    }

    /** Whether {@code message} on {@code port} would go to a binding that sets a fader, given the NRPN selected now. */
    @RealTime
    private boolean rtSetsFader(int port, int message) {
        int status = MidiMessages.status(message);
        int channel = status & 0x0F;
        int data1 = MidiMessages.data1(message);
        MidiMap.Binding binding = null;
        if ((status & 0xF0) == 0xB0) {
            binding = map.rtController(port, channel, data1);
            if (binding == null && (data1 == CC_DATA_ENTRY || data1 == CC_DATA_ENTRY_FINE)) {
                int selected = nrpnParameter[port * CHANNELS + channel];
                binding = selected < 0 ? null : map.rtNrpn(port, channel, selected);
            }
        } else if ((status & 0xF0) == 0xE0) {
            binding = map.rtBend(port, channel);
        }
        return binding != null && binding.fader != null;
    }

    /** Where a plain or 14-bit control change puts its binding's control, 0..1. */
    @RealTime
    private static double rtControllerPosition(MidiMap.Binding binding, int controller, int value) {
        return switch (binding.spec.type()) {
            case CC14 -> {
                if (controller == binding.spec.number()) {
                    binding.coarse = value;
                    yield (value << 7) / FOURTEEN_BITS;
                }
                yield (binding.coarse << 7 | value) / FOURTEEN_BITS;
            }
            default -> value / 127.0;
        };
    }

    /**
     * Follows the NRPN selection of {@code port} and {@code channel}: returns the binding a data entry message
     * sets (its coarse half kept for the fine one), or null for any other message.
     */
    @RealTime
    private MidiMap.Binding rtNrpn(int port, int channel, int controller, int value) {
        int place = port * CHANNELS + channel;
        switch (controller) {
            case CC_NRPN_COARSE -> nrpnParameter[place] = value << 7;
            case CC_NRPN_FINE -> nrpnParameter[place] = Math.max(0, nrpnParameter[place]) & 0x3F80 | value;
            case CC_DATA_ENTRY, CC_DATA_ENTRY_FINE -> {
                if (nrpnParameter[place] < 0) {
                    return null;
                }
                if (controller == CC_DATA_ENTRY) {
                    nrpnCoarse[place] = value;
                }
                return map.rtNrpn(port, channel, nrpnParameter[place]);
            }
            default -> {
            }
        }
        return null;
    }

    @RealTime
    private void rtReport(long time, int port, int message, int binding, double value, boolean applied) {
        long t = reportTail.getPlain();
        if (t - reportHead.getAcquire() >= REPORT_CAPACITY) {
            dropped = dropped + 1;
            return;
        }
        reports.rtPut((int) (t & (REPORT_CAPACITY - 1)), time, port, message, binding, value, applied);
        reportTail.setRelease(t + 1);
    }

    /** Installs {@code next}, which takes over the state of the bindings it keeps; returns the map it replaces. */
    @RealTime
    MidiMap rtSwap(MidiMap next) {
        next.rtTakeStateFrom(map);
        MidiMap previous = map;
        map = next;
        return previous;
    }

    /** Binding {@code id}'s parameter was set by something else, to {@code position} of its travel. */
    @RealTime
    void rtSetCurrent(int id, double position) {
        MidiMap.Binding binding = map.rtFind(id);
        if (binding != null) {
            binding.rtSetCurrent(position);
        }
    }

    /** Queues a message for output port {@code port}, to go out on engine sample {@code time} or at once. */
    @RealTime
    void rtSend(int port, long time, int message) {
        if (outCount == BLOCK_CAPACITY) {
            dropped = dropped + 1;
            return;
        }
        outTime[outCount] = time;
        outPort[outCount] = port;
        outMessage[outCount] = message;
        outCount++;
    }

    /** How many messages wait to go out. */
    @Override
    @RealTime
    public int rtOutgoing() {
        return outCount;
    }

    /** The output port of outgoing message {@code i}. */
    @Override
    @RealTime
    public int rtOutgoingPort(int i) {
        return outPort[i];
    }

    /** The engine sample outgoing message {@code i} is due on. */
    @Override
    @RealTime
    public long rtOutgoingTime(int i) {
        return outTime[i];
    }

    /** Outgoing message {@code i}, packed. */
    @Override
    @RealTime
    public int rtOutgoingMessage(int i) {
        return outMessage[i];
    }

    /** Forgets the outgoing messages: the backend has written them, or has no ports to write them to. */
    @Override
    @RealTime
    public void rtClearOutgoing() {
        outCount = 0;
    }

    /** Hands each report waiting to {@code into}, in the order handled; returns how many. Allocates nothing. */
    public long drain(MidiReportSink into) {
        long h = reportHead.getPlain();
        long t = reportTail.getAcquire();
        for (long r = h; r < t; r++) {
            reports.handTo((int) (r & (REPORT_CAPACITY - 1)), into);
        }
        reportHead.setRelease(t);
        return t - h;
    }

    /** Messages dropped because the inbox, the outbox or the report ring was full. Any thread. */
    public long dropped() {
        return dropped;
    }
}

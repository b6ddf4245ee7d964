package desk.engine.backend;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineEvent;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An output line of a {@link VirtualSoundCard}: while started, its buffer empties at the real-time rate of its
 * format by {@link System#nanoTime}, as a converter would play it; a write that finds no room parks the
 * writer until the clock has made room. It keeps the first bytes written (as many as the card records), and
 * counts underruns: times the clock found the buffer empty that had held audio. Stopping, flushing or closing
 * the line, or unplugging its card, makes a blocked write return what it wrote so far, as
 * {@link SourceDataLine#write} says. Writing and asking for room allocate nothing.
 * <p>
 * Threads: any; one writer at a time.
 */
public final class VirtualLine implements SourceDataLine {
    private final VirtualSoundCard card;
    private final DataLine.Info info;
    private final byte[] recording;
    private final List<LineListener> listeners = new CopyOnWriteArrayList<>();
    private AudioFormat format;
    private int frameBytes;
    private int bufferBytes;
    private long rate;
    private boolean open;
    private boolean running;
    private boolean unplugged;
    private RuntimeException fault;
    private int recorded;
    private long bytesWritten;
    private long writtenFrames;
    private long playedFrames;
    private long clockStart;
    private long clockFrames;
    private boolean dry = true;
    private long underruns;
    private long flushes;
    private Thread writer;

    VirtualLine(VirtualSoundCard card, DataLine.Info info) {
        this.card = card;
        this.info = info;
        this.recording = new byte[card.recordBytes()];
        this.format = info.getFormats()[0];
    }

    /** The first bytes written since the line was made, up to the card's recording size. */
    public synchronized byte[] recording() {
        return Arrays.copyOf(recording, recorded);
    }

    /** Bytes written since the line was made. */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** Times the line ran dry while started, having held audio. */
    public synchronized long underruns() {
        return underruns;
    }

    /** Makes the next write throw {@code failure}, as a line whose device broke. */
    public synchronized void failNextWrite(RuntimeException failure) {
        fault = failure;
    }

    /** Moves the clock on by {@code frames} frames at once, as a device that played on while its writer was late. */
    public synchronized void skip(long frames) {
        clockStart -= frames * TimeUnit.SECONDS.toNanos(1) / rate;
    }

    void unplug() {
        Thread blocked;
        synchronized (this) {
            unplugged = true;
            blocked = writer;
        }
        LockSupport.unpark(blocked);
    }

    /** Plays what the clock has advanced by since the last look; notes an underrun when the buffer runs out. */
    private void advance() {
        if (!running) {
            return;
        }
        long frames = (System.nanoTime() - clockStart) * rate / TimeUnit.SECONDS.toNanos(1);
        long delta = frames - clockFrames;
        if (delta <= 0) {
            return;
        }
        clockFrames = frames;
        long queued = writtenFrames - playedFrames;
        if (delta > queued) {
            if (!dry) {
                underruns++;
            }
            dry = true;
            playedFrames = writtenFrames;
        } else {
            playedFrames += delta;
        }
    }

    private int room() {
        return bufferBytes - (int) (writtenFrames - playedFrames) * frameBytes;
    }

    // ------------------------------------------------------------------ SourceDataLine

    @Override
    public int write(byte[] b, int off, int len) {
        if (len % format.getFrameSize() != 0) {
            throw new IllegalArgumentException("write of " + len + " bytes: not whole frames of "
                    + format.getFrameSize() + " bytes");
        }
        if (off < 0 || len < 0 || (long) off + len > b.length) {
            throw new ArrayIndexOutOfBoundsException("write of " + len + " bytes from " + off + " of " + b.length);
        }
        int done = 0;
        long flushMark;
        synchronized (this) {
            flushMark = flushes;
            writer = Thread.currentThread();
        }
        while (true) {
            long waitNanos;
            synchronized (this) {
                if (fault != null) {
                    RuntimeException failure = fault;
                    fault = null;
                    throw failure;
                }
                if (!open || unplugged) {
                    return done;
                }
                advance();
                int n = Math.min(room(), len - done);
                int kept = Math.min(n, recording.length - recorded);
                System.arraycopy(b, off + done, recording, recorded, kept);
                recorded += kept;
                bytesWritten += n;
                writtenFrames += n / frameBytes;
                if (n > 0) {
                    dry = false;
                }
                done += n;
                if (done == len || !running || flushes != flushMark) {
                    return done;
                }
                long needed = clockFrames + Math.min(len - done, bufferBytes) / frameBytes;
                long due = clockStart + (needed * TimeUnit.SECONDS.toNanos(1) + rate - 1) / rate;
                waitNanos = Math.max(1, due - System.nanoTime());
            }
            LockSupport.parkNanos(waitNanos);
        }
    }

    @Override
    public void open(AudioFormat wanted, int bufferSize) throws LineUnavailableException {
        synchronized (this) {
            if (open) {
                if (!wanted.matches(format)) {
                    throw new IllegalStateException("line already open in " + format);
                }
                return;
            }
            if (!card.takes(wanted) || wanted.getSampleRate() == AudioSystem.NOT_SPECIFIED) {
                throw new IllegalArgumentException("the card does not play " + wanted);
            }
            if (!card.roomForLine(this)) {
                throw new LineUnavailableException("every line of the card is in use");
            }
            format = wanted;
            frameBytes = wanted.getFrameSize();
            rate = (long) wanted.getSampleRate();
            int asked = bufferSize == AudioSystem.NOT_SPECIFIED ? (int) rate / 2 * frameBytes : bufferSize;
            bufferBytes = Math.max(frameBytes, asked / frameBytes * frameBytes);
            writtenFrames = 0;
            playedFrames = 0;
            dry = true;
            open = true;
        }
        send(LineEvent.Type.OPEN);
    }

    @Override
    public void open(AudioFormat wanted) throws LineUnavailableException {
        open(wanted, AudioSystem.NOT_SPECIFIED);
    }

    @Override
    public void open() throws LineUnavailableException {
        open(format);
    }

    @Override
    public void close() {
        Thread blocked;
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
            running = false;
            blocked = writer;
        }
        LockSupport.unpark(blocked);
        send(LineEvent.Type.CLOSE);
    }

    @Override
    public void start() {
        synchronized (this) {
            if (!open || running) {
                return;
            }
            running = true;
            clockStart = System.nanoTime();
            clockFrames = 0;
        }
        send(LineEvent.Type.START);
    }

    @Override
    public void stop() {
        Thread blocked;
        synchronized (this) {
            if (!running) {
                return;
            }
            advance();
            running = false;
            blocked = writer;
        }
        LockSupport.unpark(blocked);
        send(LineEvent.Type.STOP);
    }

    @Override
    public void flush() {
        Thread blocked;
        synchronized (this) {
            playedFrames = writtenFrames;
            dry = true;
            flushes++;
            blocked = writer;
        }
        LockSupport.unpark(blocked);
    }

    @Override
    public void drain() {
        while (true) {
            long waitNanos;
            synchronized (this) {
                advance();
                long queued = writtenFrames - playedFrames;
                if (!running || queued == 0) {
                    return;
                }
                waitNanos = queued * TimeUnit.SECONDS.toNanos(1) / rate + 1;
            }
            LockSupport.parkNanos(waitNanos);
        }
    }

    @Override
    public synchronized int available() {
        if (!open) {
            return 0;
        }
        advance();
        return room();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized boolean isActive() {
        return running && writtenFrames > playedFrames;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized AudioFormat getFormat() {
        return format;
    }

    @Override
    public synchronized int getBufferSize() {
        return bufferBytes;
    }

    @Override
    public int getFramePosition() {
        return (int) getLongFramePosition();
    }

    @Override
    public synchronized long getLongFramePosition() {
        advance();
        return playedFrames;
    }

    @Override
    public synchronized long getMicrosecondPosition() {
        return rate == 0 ? 0 : getLongFramePosition() * TimeUnit.SECONDS.toMicros(1) / rate;
    }

    @Override
    public float getLevel() {
        return AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public DataLine.Info getLineInfo() {
        return info;
    }

    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("the line has no control " + control);
    }

    @Override
    public void addLineListener(LineListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeLineListener(LineListener listener) {
        listeners.remove(listener);
    }

    private void send(LineEvent.Type type) {
        LineEvent event = new LineEvent(this, type, getLongFramePosition());
        for (LineListener listener : listeners) {
            listener.update(event);
        }
    }
}

package desk.engine.backend;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sound card for tests, seen by Java Sound through {@link VirtualSoundCards}: a mixer whose output lines
 * ({@link VirtualLine}) take the formats it was plugged in with and play them at the real-time rate of the
 * format, recording what was written. {@link #unplug} takes it out of Java Sound's list, and lines still
 * open stop taking audio, as from a device that went away.
 * <p>
 * Threads: any.
 */
public final class VirtualSoundCard implements Mixer {
    private final Mixer.Info info;
    private final DataLine.Info lineInfo;
    private final Line.Info mixerLineInfo = new Line.Info(Mixer.class);
    private final int maxLines;
    private final int recordBytes;
    private final List<VirtualLine> lines = new CopyOnWriteArrayList<>();
    private volatile boolean open;

    private static final class Info extends Mixer.Info {
        Info(String name) {
            super(name, "Desk tests", "a virtual sound card paced by the clock", "1");
        }
    }

    private VirtualSoundCard(String name, int maxLines, int recordBytes, AudioFormat[] formats) {
        this.info = new Info(name);
        this.lineInfo = new DataLine.Info(SourceDataLine.class, formats, AudioSystem.NOT_SPECIFIED,
                AudioSystem.NOT_SPECIFIED);
        this.maxLines = maxLines;
        this.recordBytes = recordBytes;
    }

    /**
     * Plugs in a card called {@code name} whose output lines take {@code formats}, at most {@code maxLines} open
     * at once ({@link AudioSystem#NOT_SPECIFIED}: any number, a card that mixes), each recording the first
     * {@code recordBytes} bytes written to it.
     */
    public static VirtualSoundCard plugIn(String name, int maxLines, int recordBytes, AudioFormat... formats) {
        VirtualSoundCard card = new VirtualSoundCard(name, maxLines, recordBytes, formats);
        VirtualSoundCards.plug(card);
        return card;
    }

    /** A stereo little-endian format of {@code bits}-bit samples at {@code rate} (or NOT_SPECIFIED: any rate). */
    public static AudioFormat stereo(AudioFormat.Encoding encoding, int bits, float rate) {
        return new AudioFormat(encoding, rate, bits, 2, 2 * bits / 8, rate, false);
    }

    /** The lines made so far, open or closed, oldest first. */
    public List<VirtualLine> lines() {
        return List.copyOf(lines);
    }

    /** Unplugs the card: Java Sound no longer lists it and its lines stop taking audio. */
    public void unplug() {
        VirtualSoundCards.unplug(this);
        for (VirtualLine line : lines) {
            line.unplug();
        }
    }

    int recordBytes() {
        return recordBytes;
    }

    boolean takes(AudioFormat format) {
        return lineInfo.isFormatSupported(format);
    }

    /** True if another line may open now. */
    boolean roomForLine(VirtualLine opening) {
        if (maxLines == AudioSystem.NOT_SPECIFIED) {
            return true;
        }
        return lines.stream().filter(line -> line != opening && line.isOpen()).count() < maxLines;
    }

    // ------------------------------------------------------------------ Mixer

    @Override
    public Mixer.Info getMixerInfo() {
        return info;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return new Line.Info[]{lineInfo};
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info wanted) {
        return wanted.matches(lineInfo) ? new Line.Info[]{lineInfo} : new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info wanted) {
        return new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info wanted) {
        return wanted.matches(lineInfo);
    }

    @Override
    public Line getLine(Line.Info wanted) {
        if (!isLineSupported(wanted)) {
            throw new IllegalArgumentException(info.getName() + " has no line " + wanted);
        }
        VirtualLine line = new VirtualLine(this, lineInfo);
        lines.add(line);
        return line;
    }

    @Override
    public int getMaxLines(Line.Info wanted) {
        return isLineSupported(wanted) ? maxLines : 0;
    }

    @Override
    public Line[] getSourceLines() {
        return lines.stream().filter(VirtualLine::isOpen).toArray(Line[]::new);
    }

    @Override
    public Line[] getTargetLines() {
        return new Line[0];
    }

    @Override
    public void synchronize(Line[] toSync, boolean maintainSync) {
        throw new IllegalArgumentException(info.getName() + " does not synchronize lines");
    }

    @Override
    public void unsynchronize(Line[] toSync) {
        throw new IllegalArgumentException(info.getName() + " does not synchronize lines");
    }

    @Override
    public boolean isSynchronizationSupported(Line[] toSync, boolean maintainSync) {
        return false;
    }

    // ------------------------------------------------------------------ Line (the mixer itself)

    @Override
    public Line.Info getLineInfo() {
        return mixerLineInfo;
    }

    @Override
    public void open() {
        open = true;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
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
        throw new IllegalArgumentException(info.getName() + " has no control " + control);
    }

    @Override
    public void addLineListener(LineListener listener) {
        // the mixer itself sends no events
    }

    @Override
    public void removeLineListener(LineListener listener) {
        // the mixer itself sends no events
    }
}

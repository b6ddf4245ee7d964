package desk.engine.record;

import desk.engine.io.AudioFile;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take's disk side: a full disk stops the take cleanly with valid files and one clear line; a disk too
 * slow is reported within a second; a ring that overflows stops the take instead of leaving a gap.
 */
class TakeTest {
    @TempDir
    Path folder;

    /**
     * A file channel that refuses to grow past {@code capacity} bytes (a full disk), or waits on {@code gate}
     * (a slow disk); everything else goes to the real file.
     */
    private static final class LimitedChannel extends FileChannel {
        private final FileChannel inner;
        private final long capacity;
        private final CountDownLatch gate;
        private final CountDownLatch entered;

        LimitedChannel(FileChannel inner, long capacity, CountDownLatch gate, CountDownLatch entered) {
            this.inner = inner;
            this.capacity = capacity;
            this.gate = gate;
            this.entered = entered;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (gate != null && position >= desk.engine.record.TakeFile.HEADER_BYTES) {
                entered.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (position + src.remaining() > capacity) {
                throw new IOException("No space left on device");
            }
            return inner.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, inner.position());
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += write(srcs[i]);
            }
            return written;
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            inner.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            inner.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
            long moved = 0;
            while (moved < count && src.read(buffer.clear().limit((int) Math.min(buffer.capacity(), count - moved))) > 0) {
                moved += write(buffer.flip(), position + moved);
            }
            return moved;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return inner.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }

    private Take open(List<Take.Track> tracks, int ringFrames, long capacity, CountDownLatch gate,
                      CountDownLatch entered) throws IOException {
        return Take.open(tracks, 48000, SampleFormat.FLOAT_32, ringFrames, LocalDateTime.of(2026, 1, 1, 0, 0),
                TakeFile.RIFF_LIMIT, file -> new LimitedChannel(TakeFile.NEW_FILE.open(file), capacity, gate, entered));
    }

    /** Feeds {@code blocks} blocks of 480 frames of {@code value} per track, as the audio thread would. */
    private static int feed(Take take, int tracks, int blocks, float value) {
        float[] block = new float[480];
        java.util.Arrays.fill(block, value);
        float[][] in = {block};
        int fed = 0;
        for (int b = 0; b < blocks && take.rtAccepting(); b++) {
            if (!take.rtReserve(480)) {
                break;
            }
            for (int t = 0; t < tracks; t++) {
                take.rtWrite(t, in, 0, 480);
            }
            fed++;
        }
        return fed;
    }

    @Test
    void aFullDiskStopsTheTakeCleanlyWithValidFilesAndOneClearLine() throws Exception {
        Path a = folder.resolve("A-001.wav");
        Path b = folder.resolve("B-001.wav");
        long capacity = TakeFile.HEADER_BYTES + 4L * 48000;
        Take take = open(List.of(new Take.Track(2, a, 1), new Take.Track(3, b, 1)), 48000 * 5, capacity, null, null);
        take.start();
        take.rtBegin(0, 0);
        for (int second = 0; second < 3 && take.rtAccepting(); second++) {
            feed(take, 2, 100, 0.25f);
            Thread.sleep(50);
        }
        assertTrue(take.awaitFinished(10_000), "the take finished on its own");
        assertFalse(take.rtAccepting(), "the audio side stops writing");
        List<String> problems = take.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("recording stopped: cannot write " + a + " (No space left on device);"
                + " the takes keep "), problems.get(0));
        assertTrue(problems.get(0).endsWith(" s and the engine plays on"), problems.get(0));
        for (Path file : List.of(a, b)) {
            AudioFile read = WavReader.read(file);
            assertTrue(read.frames() > 0 && read.frames() <= 48000, file + ": " + read.frames());
            for (float sample : read.samples()[0]) {
                assertEquals(0.25f, sample);
            }
        }
    }

    @Test
    void aDiskTooSlowIsReportedWithinASecondAndAnOverflowStopsTheTake() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        Path file = folder.resolve("Slow-001.wav");
        Take take = open(List.of(new Take.Track(2, file, 1)), 4800, Long.MAX_VALUE, stalled, writing);
        take.start();
        take.rtBegin(0, 0);
        assertEquals(1, feed(take, 1, 1, 0.5f));
        assertTrue(writing.await(10, TimeUnit.SECONDS), "the disk thread took the first block and hangs writing it");
        assertEquals(List.of(), take.problems());
        assertEquals(6, feed(take, 1, 6, 0.5f), "six more blocks fit in a ring of 4800 frames");
        long since = System.nanoTime();
        while (take.problems().isEmpty() && System.nanoTime() - since < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(10);
        }
        assertEquals(List.of("disk too slow: the buffer of Slow-001.wav is 60% full"), take.problems());
        assertEquals(4, feed(take, 1, 10, 0.5f), "four more fill the ring; the fifth overflows it");
        assertFalse(take.rtAccepting());
        stalled.countDown();
        assertTrue(take.awaitFinished(10_000));
        assertEquals("disk too slow: the recording buffer overflowed, recording stopped; the takes keep 0.1 s",
                take.problems().get(1));
        assertEquals(480 + 4800, WavReader.read(file).frames(), "what the ring held reached the file");
    }
}

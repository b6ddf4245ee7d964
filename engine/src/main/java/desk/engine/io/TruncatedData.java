package desk.engine.io;

/**
 * Where a WAV file's data chunk is cut short: it starts at byte {@code dataOffset} and its header declares
 * {@code declaredBytes}, but the file ends at byte {@code fileEnd}, before the data does.
 * <p>
 * Threads: immutable; any thread.
 *
 * @param dataOffset    the byte where the samples start
 * @param declaredBytes the data size the header declares
 * @param fileEnd       the size of the file, in bytes
 */
public record TruncatedData(long dataOffset, long declaredBytes, long fileEnd) {
    /** The shortfall in words, e.g. "data chunk says 960000 bytes at byte 44 but the file ends at byte 480044". */
    public String describe() {
        return "data chunk says " + declaredBytes + " bytes at byte " + dataOffset + " but the file ends at byte "
                + fileEnd;
    }
}

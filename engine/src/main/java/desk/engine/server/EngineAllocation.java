package desk.engine.server;

/**
 * What the engine process has allocated since it started, as it counts it: requests answered, process
 * callbacks run and the bytes their thread allocated, the bytes allocated by the thread that answers
 * requests and by the whole process. Immutable; any thread.
 */
public record EngineAllocation(long requests, long callbacks, long audioThreadBytes, long serverThreadBytes,
                               long processBytes) {
}

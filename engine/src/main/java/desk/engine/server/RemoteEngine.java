package desk.engine.server;

import desk.engine.EngineException;

import java.net.InetSocketAddress;

/**
 * An engine on the network for a desk to drive ({@code ./desk --engine HOST:PORT}): its address, the token it
 * admits, the SHA-256 fingerprint of its TLS certificate (null: none pinned yet, and the first connection is
 * refused with the fingerprint the engine presented, to check against the one it printed), whether to speak
 * TLS (only a loopback address may go without), and whether to take it over from a desk that drives it.
 * <p>
 * Threads: any thread; immutable.
 */
public record RemoteEngine(String address, String token, String fingerprint, boolean tls, boolean takeOver) {
    /** Checks the target whole: an address, a token, and TLS unless the address is a loopback one. */
    public RemoteEngine {
        InetSocketAddress resolved;
        try {
            resolved = EngineListener.address(address, false);
        } catch (EngineException e) {
            throw new EngineException("--engine " + e.getMessage());
        }
        if (token == null || token.isEmpty()) {
            throw new EngineException("--engine " + address + " needs the engine's token: --token TOKEN or"
                    + " DESK_ENGINE_TOKEN (the engine printed it as it started)");
        }
        if (!tls && !resolved.getAddress().isLoopbackAddress()) {
            throw new EngineException("--engine " + address + " with --no-tls: only an engine on a loopback address"
                    + " (127.0.0.1) may be driven without TLS");
        }
    }

    /** The address as a socket address. */
    InetSocketAddress socketAddress() {
        return EngineListener.address(address, false);
    }
}

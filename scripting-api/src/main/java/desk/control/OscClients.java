package desk.control;

import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCSerializeException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The clients subscribed to feedback ({@code /desk/subscribe [rate] [port]}): each gets, at its rate, the
 * values that changed since its last frame (all of them in its first) and a meter frame of every strip,
 * in bundles of at most {@value #BUNDLE_BYTES} bytes. Feedback goes out on a socket connected to the client, so
 * a client that has gone (its port closed: the network says so) is noticed on the next frame and dropped
 * with one line; one that unsubscribes ({@code /desk/unsubscribe}) is dropped at once.
 * <p>
 * Threads: {@link #subscribe}, {@link #unsubscribe}, {@link #due} and {@link #describe} any thread;
 * {@link #frame} the session's control thread.
 */
final class OscClients {
    /** Frames per second when a subscription names none. */
    static final double DEFAULT_RATE = 10;
    /** The most frames per second. */
    static final double MAX_RATE = 100;
    /** The most clients at once. */
    static final int MAX_CLIENTS = 16;
    /** The largest feedback bundle, bytes (well inside a datagram on any network). */
    static final int BUNDLE_BYTES = 8_192;

    private static final class Client {
        final InetSocketAddress address;
        final DatagramChannel channel;
        final long periodNanos;
        final double rate;
        final Map<String, Object> sent = new HashMap<>();
        volatile long nextNanos;
        long frames;

        Client(InetSocketAddress address, DatagramChannel channel, double rate, long now) {
            this.address = address;
            this.channel = channel;
            this.rate = rate;
            this.periodNanos = Math.round(1e9 / rate);
            this.nextNanos = now;
        }
    }

    private final OscCodec codec;
    private final Consumer<String> notices;
    private final Map<InetSocketAddress, Client> clients = new ConcurrentHashMap<>();

    OscClients(OscCodec codec, Consumer<String> notices) {
        this.codec = codec;
        this.notices = notices;
    }

    /**
     * Subscribes {@code address} at {@code rate} frames a second (replacing its subscription); refuses a rate
     * outside 1..{@value #MAX_RATE} and a client past {@value #MAX_CLIENTS}.
     */
    void subscribe(InetSocketAddress address, double rate) throws IOException {
        if (!(rate >= 1 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("/desk/subscribe rate " + rate + ": must be 1.." + (int) MAX_RATE
                    + " frames a second");
        }
        if (!clients.containsKey(address) && clients.size() >= MAX_CLIENTS) {
            throw new IllegalArgumentException("/desk/subscribe: " + MAX_CLIENTS + " clients are subscribed already");
        }
        DatagramChannel channel = DatagramChannel.open();
        channel.connect(address);
        Client old = clients.put(address, new Client(address, channel, rate, System.nanoTime()));
        if (old != null) {
            old.channel.close();
        }
    }

    /** Ends the subscription of {@code address}, if any. */
    void unsubscribe(InetSocketAddress address) {
        Client client = clients.remove(address);
        if (client != null) {
            close(client);
        }
    }

    /** True when a client's next frame is due. */
    boolean due(long now) {
        for (Client client : clients.values()) {
            if (now - client.nextNanos >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The subscribed clients, in words. */
    List<String> describe() {
        List<String> words = new ArrayList<>();
        for (Client client : clients.values()) {
            words.add(client.address.getAddress().getHostAddress() + ":" + client.address.getPort() + " at "
                    + OscSurface.number(client.rate) + " Hz, " + client.frames + " frames sent");
        }
        words.sort(null);
        return words;
    }

    /**
     * Sends each client whose frame is due the values of {@code state} it has not had and {@code meters},
     * each after {@code token} when there is one (so that a layout matching address and first argument takes
     * them); drops a client whose port is gone.
     */
    void frame(long now, Map<String, Object> state, Map<String, List<Object>> meters, String token) {
        for (Client client : List.copyOf(clients.values())) {
            if (now - client.nextNanos < 0) {
                continue;
            }
            client.nextNanos = Math.max(client.nextNanos + client.periodNanos, now - client.periodNanos);
            List<OSCPacket> messages = new ArrayList<>();
            for (Map.Entry<String, Object> value : state.entrySet()) {
                if (!value.getValue().equals(client.sent.get(value.getKey()))) {
                    messages.add(new OSCMessage(value.getKey(), signed(token, List.of(value.getValue()))));
                }
            }
            client.sent.keySet().retainAll(state.keySet());
            client.sent.putAll(state);
            for (Map.Entry<String, List<Object>> frame : meters.entrySet()) {
                messages.add(new OSCMessage(frame.getKey(), signed(token, frame.getValue())));
            }
            try {
                send(client, messages);
                client.frames++;
            } catch (PortUnreachableException gone) {
                notices.accept("OSC client " + client.address.getAddress().getHostAddress() + ":"
                        + client.address.getPort() + " stopped answering: its feedback has stopped");
                clients.remove(client.address, client);
                close(client);
            } catch (IOException | OSCSerializeException | RuntimeException failed) {
                notices.accept("OSC feedback to " + client.address + " failed: " + failed.getMessage());
            }
        }
    }

    /** {@code arguments} after the token, when there is one. */
    private static List<Object> signed(String token, List<Object> arguments) {
        if (token == null) {
            return arguments;
        }
        List<Object> all = new ArrayList<>(arguments.size() + 1);
        all.add(token);
        all.addAll(arguments);
        return all;
    }

    private void send(Client client, List<OSCPacket> messages) throws IOException, OSCSerializeException {
        OSCBundle bundle = new OSCBundle();
        int bytes = 16;
        for (OSCPacket message : messages) {
            int size = 8 + ((OSCMessage) message).getAddress().length() + 4 * (((OSCMessage) message).getArguments().size() + 2);
            if (bytes + size > BUNDLE_BYTES && !bundle.getPackets().isEmpty()) {
                write(client, bundle);
                bundle = new OSCBundle();
                bytes = 16;
            }
            bundle.addPacket(message);
            bytes += size;
        }
        if (!bundle.getPackets().isEmpty()) {
            write(client, bundle);
        }
    }

    private void write(Client client, OSCBundle bundle) throws IOException, OSCSerializeException {
        ByteBuffer bytes = codec.encode(bundle);
        client.channel.write(bytes);
    }

    /** Ends every subscription. */
    void close() {
        for (Client client : List.copyOf(clients.values())) {
            unsubscribe(client.address);
        }
    }

    private static void close(Client client) {
        try {
            client.channel.close();
        } catch (IOException ignored) {
            // Closing a datagram socket only releases its port.
        }
    }
}

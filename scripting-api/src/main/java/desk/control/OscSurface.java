package desk.control;

import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCParseException;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.messageselector.OSCPatternAddressMessageSelector;
import desk.session.DeskException;
import desk.session.Session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Desk as an OSC server (UDP): control surfaces and tablets set and read what scripts set and read, through
 * {@link OscAddressSpace}, and subscribe to feedback ({@link OscClients}); scripts send and receive their own
 * messages. Off until {@link #listen}; bound to 127.0.0.1 unless told otherwise, and a bind that is not
 * loopback needs a token, which must then be the first argument of every message (a message without it, or
 * with another, is counted and gets no answer); answers and feedback then carry it first too.
 * <p>
 * A storm cannot reach the audio: messages are coalesced per address (the last value wins) and applied on
 * the session's control thread at most every {@value #DRAIN_MILLISECONDS} ms, so the engine sees at most one
 * change per parameter per turn. A bundle with a time tag in the future is applied on its sample while the
 * transport rolls (like {@code session.at}), as {@link OscTiming} says, and at its time when stopped; a late one at once. Changes made
 * from OSC are one undo group per gesture: they end when none came for {@value #GESTURE_MILLISECONDS} ms.
 * Errors answer the sender with {@code /desk/error s} and go to the notices, at most once a second.
 * <p>
 * Threads: {@link #listen}, {@link #close}, {@link #send} and the readings any thread; {@link #on} and
 * {@link #off} the control thread, where handlers run. It receives on a thread of its own and paces the
 * control thread's turns and the feedback from another.
 */
public final class OscSurface implements AutoCloseable {
    /** The port when none is given: TouchOSC's default outgoing port. */
    public static final int DEFAULT_PORT = 8000;
    /** The shortest time between two turns applying received messages, ms. */
    static final int DRAIN_MILLISECONDS = 5;
    /** How long OSC changes must pause to end an undo group, ms. */
    static final int GESTURE_MILLISECONDS = 500;
    /** The socket's receive buffer asked for, so a burst waits in the kernel rather than being lost. */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    /** The most messages for script handlers waiting for the control thread; more are dropped and counted. */
    public static final int MAX_EVENTS = 1024;

    private record Received(String address, List<Object> arguments, InetSocketAddress from) {
    }

    private final Session session;
    private final Executor control;
    private final Consumer<String> notices;
    private final Clock clock;
    private final boolean remoteSends;
    private final OscCodec codec = new OscCodec();
    private final OscAddressSpace space;
    private final OscClients clients;
    private final OscTiming timing;
    private final Object lock = new Object();
    private final Map<String, Received> pending = new LinkedHashMap<>();
    private final ArrayBlockingQueue<Received> events = new ArrayBlockingQueue<>(MAX_EVENTS);
    private final Map<String, Consumer<List<Object>>> handlers = new ConcurrentHashMap<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicBoolean frameQueued = new AtomicBoolean();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile DatagramChannel channel;
    private volatile String token;
    private volatile long lastDrainNanos;
    private ScheduledExecutorService timer;
    private Thread receiver;
    private long gestureEndNanos;
    private boolean gestureOpen;
    private long lastNoticeNanos;
    private int quietErrors;

    /**
     * A surface over {@code session} whose changes run on {@code control} (the session's control thread),
     * telling the user through {@code notices}; bundle time tags are read against {@code clock}; scripts may
     * send beyond this machine only when {@code remoteSends}.
     */
    public OscSurface(Session session, Executor control, Consumer<String> notices, Clock clock, boolean remoteSends) {
        this.session = session;
        this.control = control;
        this.notices = notices;
        this.clock = clock;
        this.remoteSends = remoteSends;
        this.space = new OscAddressSpace(session);
        this.timing = new OscTiming(session, control, clock);
        this.clients = new OscClients(codec, notices);
    }

    /**
     * Listens on {@code bind}:{@code port} (port 0: any free one); {@code token} null for none, or the token
     * every message must carry. A bind that is not loopback without a token is refused; so is listening twice.
     * Returns the address bound.
     */
    public synchronized InetSocketAddress listen(String bind, int port, String token) {
        if (channel != null) {
            throw new DeskException("OSC is listening already on " + describe(address()) + ": close it first");
        }
        if (port < 0 || port > 65_535) {
            throw new DeskException("OSC port " + port + ": must be 0..65535 (0: any free port)");
        }
        InetAddress host = resolve(bind, "OSC bind");
        if (!host.isLoopbackAddress() && token == null) {
            throw new DeskException("OSC bind " + bind + " is reachable from other machines: it needs a token"
                    + " (every message then carries it as its first argument)");
        }
        if (token != null && (token.isBlank() || token.length() > 256)) {
            throw new DeskException("OSC token: must be 1..256 characters, not blank");
        }
        DatagramChannel opened;
        try {
            opened = host instanceof java.net.Inet4Address ? DatagramChannel.open(StandardProtocolFamily.INET)
                    : DatagramChannel.open();
            opened.setOption(java.net.StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            opened.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new DeskException("OSC " + bind + ":" + port + ": cannot listen (" + e.getMessage() + ")");
        }
        this.token = token;
        this.channel = opened;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "desk-osc-pace");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::paceFeedback, 5, 5, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> control.execute(timing::reading), 0, 500, TimeUnit.MILLISECONDS);
        this.receiver = new Thread(() -> receive(opened), "desk-osc-in");
        receiver.setDaemon(true);
        receiver.start();
        return address();
    }

    /** A token of 128 random bits, for a bind that is not loopback when the user gives none. */
    public static String newToken() {
        byte[] bits = new byte[16];
        new SecureRandom().nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** The address listened on, or null when closed. */
    public InetSocketAddress address() {
        DatagramChannel open = channel;
        try {
            return open == null ? null : (InetSocketAddress) open.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The token messages must carry, or null. */
    public String token() {
        return token;
    }

    /** Packets received. */
    public long received() {
        return received.get();
    }

    /** Messages refused for a missing or wrong token. */
    public long refused() {
        return refused.get();
    }

    /** Packets that were not OSC. */
    public long malformed() {
        return malformed.get();
    }

    /** Messages for script handlers dropped because {@value #MAX_EVENTS} were waiting. */
    public long dropped() {
        return dropped.get();
    }

    /** The clients subscribed to feedback, in words. */
    public List<String> clients() {
        return clients.describe();
    }

    /**
     * Calls {@code handler} with the arguments (the token taken off) of each message to {@code pattern} (an
     * address, or an OSC pattern such as {@code /pad/*}) that Desk's own addresses do not take; replaces the
     * handler already there.
     */
    public void on(String pattern, Consumer<List<Object>> handler) {
        if (!OSCMessage.isValidAddress(pattern.replaceAll("[*?\\[\\]{},!-]", "x"))) {
            throw new DeskException("osc.on " + pattern + ": not an OSC address (starts with /, no spaces or #)");
        }
        if (pattern.startsWith(OscAddressSpace.PREFIX)) {
            throw new DeskException("osc.on " + pattern + ": addresses under " + OscAddressSpace.PREFIX
                    + " are Desk's own");
        }
        handlers.put(pattern, handler);
    }

    /** Removes the handler of {@code pattern}; false when there was none. */
    public boolean off(String pattern) {
        return handlers.remove(pattern) != null;
    }

    /** The patterns scripts handle. */
    public List<String> handled() {
        return handlers.keySet().stream().sorted().toList();
    }

    /**
     * Sends a message to {@code host}:{@code port}, from the listening port when listening; a host beyond this
     * machine is refused unless remote sends were allowed.
     */
    public void send(String host, int port, String address, List<Object> arguments) {
        InetAddress to = resolve(host, "osc.send host");
        if (!to.isLoopbackAddress() && !remoteSends) {
            throw new DeskException("osc.send " + host + ": scripts send only to this machine unless Desk was"
                    + " started with --allow-io");
        }
        if (port < 1 || port > 65_535) {
            throw new DeskException("osc.send port " + port + ": must be 1..65535");
        }
        if (!OSCMessage.isValidAddress(address)) {
            throw new DeskException("osc.send " + address + ": not an OSC address (starts with /, no spaces or #)");
        }
        try {
            ByteBuffer bytes = codec.encode(new OSCMessage(address, arguments));
            DatagramChannel open = channel;
            if (open != null) {
                open.send(bytes, new InetSocketAddress(to, port));
            } else {
                try (DatagramChannel once = DatagramChannel.open()) {
                    once.send(bytes, new InetSocketAddress(to, port));
                }
            }
        } catch (OSCSerializeException | IOException | RuntimeException e) {
            throw new DeskException("osc.send " + address + ": " + e.getMessage());
        }
    }

    /** Stops listening and ends every subscription; messages not yet applied are dropped. */
    @Override
    public synchronized void close() {
        DatagramChannel open = channel;
        if (open == null) {
            return;
        }
        channel = null;
        try {
            open.close();
        } catch (IOException ignored) {
            // The port is released either way.
        }
        timer.shutdownNow();
        clients.close();
        try {
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            pending.clear();
        }
        events.clear();
    }

    // ------------------------------------------------------------------ receiving (its own thread)

    private void receive(DatagramChannel open) {
        ByteBuffer buffer = ByteBuffer.allocate(OscCodec.MAX_PACKET);
        while (open.isOpen()) {
            SocketAddress from;
            buffer.clear();
            try {
                from = open.receive(buffer);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            buffer.flip();
            received.incrementAndGet();
            OSCPacket packet;
            try {
                packet = codec.decode(buffer);
            } catch (OSCParseException | RuntimeException e) {
                malformed.incrementAndGet();
                continue;
            }
            handle(packet, (InetSocketAddress) from);
        }
    }

    private void handle(OSCPacket packet, InetSocketAddress from) {
        if (packet instanceof OSCBundle bundle) {
            Instant at = bundle.getTimestamp().isImmediate() ? null : bundle.getTimestamp().toInstant();
            if (at == null || !at.isAfter(clock.instant())) {
                for (OSCPacket inner : bundle.getPackets()) {
                    handle(inner, from);
                }
                return;
            }
            List<Received> timed = new ArrayList<>();
            collect(bundle, from, timed);
            if (!timed.isEmpty()) {
                ScheduledExecutorService pace = timer;
                control.execute(() -> timing.schedule(at, () -> timed.forEach(this::apply), this::gesture, pace));
            }
            return;
        }
        Received message = accepted((OSCMessage) packet, from);
        if (message == null) {
            return;
        }
        String address = message.address();
        switch (address) {
            case "/desk/subscribe" -> subscribe(message);
            case "/desk/unsubscribe" -> clients.unsubscribe(message.from());
            case "/desk/ping" -> reply(from, "/desk/pong");
            default -> {
                if (address.startsWith(OscAddressSpace.PREFIX)) {
                    String key = message.arguments().isEmpty() ? address + " from " + from : address;
                    synchronized (lock) {
                        pending.remove(key);
                        pending.put(key, message);
                    }
                } else if (handlers.keySet().stream().anyMatch(p -> OSCPatternAddressMessageSelector.matches(address, p))) {
                    if (!events.offer(message)) {
                        dropped.incrementAndGet();
                    }
                } else {
                    return;
                }
                requestDrain();
            }
        }
    }

    /** The messages of a timed bundle and the bundles in it, those that carry the token. */
    private void collect(OSCBundle bundle, InetSocketAddress from, List<Received> into) {
        for (OSCPacket inner : bundle.getPackets()) {
            if (inner instanceof OSCBundle nested) {
                collect(nested, from, into);
            } else {
                Received message = accepted((OSCMessage) inner, from);
                if (message != null) {
                    into.add(message);
                }
            }
        }
    }

    /** The message with its token taken off, or null (counted) when the token is wanted and not there. */
    private Received accepted(OSCMessage message, InetSocketAddress from) {
        List<Object> arguments = message.getArguments();
        String wanted = token;
        if (wanted != null) {
            if (arguments.isEmpty() || !(arguments.get(0) instanceof CharSequence given)
                    || !MessageDigest.isEqual(wanted.getBytes(StandardCharsets.UTF_8),
                    given.toString().getBytes(StandardCharsets.UTF_8))) {
                refused.incrementAndGet();
                return null;
            }
            arguments = arguments.subList(1, arguments.size());
        }
        return new Received(message.getAddress(), List.copyOf(arguments), from);
    }

    private void subscribe(Received message) {
        List<Object> arguments = message.arguments();
        try {
            double rate = OscClients.DEFAULT_RATE;
            InetSocketAddress to = message.from();
            if (!arguments.isEmpty()) {
                if (!(arguments.get(0) instanceof Number number)) {
                    throw new IllegalArgumentException("/desk/subscribe " + arguments.get(0)
                            + ": the rate must be a number of frames a second");
                }
                rate = number.doubleValue();
            }
            if (arguments.size() > 1) {
                if (!(arguments.get(1) instanceof Integer port) || port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("/desk/subscribe port " + arguments.get(1) + ": must be 1..65535");
                }
                to = new InetSocketAddress(message.from().getAddress(), port);
            }
            clients.subscribe(to, rate);
        } catch (IllegalArgumentException | IOException e) {
            reply(message.from(), "/desk/error", String.valueOf(e.getMessage()));
        }
    }

    /** Answers {@code to} with a message to {@code address}, its arguments after the token when there is one. */
    private void reply(InetSocketAddress to, String address, Object... arguments) {
        DatagramChannel open = channel;
        if (open == null) {
            return;
        }
        List<Object> signed = new ArrayList<>(arguments.length + 1);
        String wanted = token;
        if (wanted != null) {
            signed.add(wanted);
        }
        signed.addAll(List.of(arguments));
        try {
            open.send(codec.encode(new OSCMessage(address, signed)), to);
        } catch (IOException | OSCSerializeException | RuntimeException e) {
            // A reply that cannot go out is lost, as any UDP datagram may be; the change itself stands.
        }
    }

    // ------------------------------------------------------------------ pacing (the timer thread)

    private void requestDrain() {
        if (!drainQueued.compareAndSet(false, true)) {
            return;
        }
        long wait = lastDrainNanos + DRAIN_MILLISECONDS * 1_000_000L - System.nanoTime();
        ScheduledExecutorService pace = timer;
        if (wait <= 0 || pace == null) {
            control.execute(this::drain);
        } else {
            try {
                pace.schedule(() -> control.execute(this::drain), wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                drainQueued.set(false);
            }
        }
    }

    private void paceFeedback() {
        if (clients.due(System.nanoTime()) && frameQueued.compareAndSet(false, true)) {
            control.execute(() -> {
                try {
                    clients.frame(System.nanoTime(), space.state(), space.meters(), token);
                } finally {
                    frameQueued.set(false);
                }
            });
        }
    }

    // ------------------------------------------------------------------ applying (the control thread)

    private void drain() {
        lastDrainNanos = System.nanoTime();
        drainQueued.set(false);
        List<Received> batch;
        synchronized (lock) {
            batch = new ArrayList<>(pending.values());
            pending.clear();
        }
        boolean changed = false;
        // Script messages first: any that came before a message of the batch is in the queue by now.
        for (Received event; (event = events.poll()) != null; ) {
            for (Map.Entry<String, Consumer<List<Object>>> handler : handlers.entrySet()) {
                if (OSCPatternAddressMessageSelector.matches(event.address(), handler.getKey())) {
                    try {
                        handler.getValue().accept(event.arguments());
                    } catch (RuntimeException failure) {
                        error(event, "osc.on " + handler.getKey() + ": " + failure.getMessage());
                    }
                }
            }
            changed = true;
        }
        for (Received message : batch) {
            changed |= apply(message);
        }
        if (changed) {
            gesture();
        }
    }

    /** Applies or answers one message; true when it may have changed the session. */
    private boolean apply(Received message) {
        try {
            OscAddressSpace.Control target = space.resolve(message.address());
            Object value = target.get();
            if (message.arguments().isEmpty() && value != null) {
                reply(message.from(), message.address(), value instanceof Double d ? d.floatValue() : value);
                return false;
            }
            target.set(message.arguments());
            return true;
        } catch (RuntimeException e) {
            error(message, e.getMessage() == null ? message.address() + ": " + e : e.getMessage());
            return false;
        }
    }

    /** Notes an OSC change: the undo group ends once none has come for {@value #GESTURE_MILLISECONDS} ms. */
    private void gesture() {
        gestureEndNanos = System.nanoTime() + GESTURE_MILLISECONDS * 1_000_000L;
        if (gestureOpen) {
            return;
        }
        gestureOpen = true;
        endGestureLater(GESTURE_MILLISECONDS * 1_000_000L);
    }

    private void endGestureLater(long nanos) {
        ScheduledExecutorService pace = timer;
        if (pace == null || pace.isShutdown()) {
            gestureOpen = false;
            session.checkpoint();
            return;
        }
        pace.schedule(() -> control.execute(() -> {
            long left = gestureEndNanos - System.nanoTime();
            if (left > 0) {
                endGestureLater(left);
            } else {
                gestureOpen = false;
                session.checkpoint();
            }
        }), nanos, TimeUnit.NANOSECONDS);
    }

    private void error(Received message, String words) {
        reply(message.from(), "/desk/error", words);
        long now = System.nanoTime();
        if (now - lastNoticeNanos >= 1_000_000_000L) {
            notices.accept(quietErrors == 0 ? words
                    : words + " (and " + quietErrors + " more OSC errors in the second before)");
            lastNoticeNanos = now;
            quietErrors = 0;
        } else {
            quietErrors++;
        }
    }

    // ------------------------------------------------------------------ words

    private static InetAddress resolve(String host, String label) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new DeskException(label + " " + host + ": no such host");
        }
    }

    /** {@code address} as host:port. */
    public static String describe(InetSocketAddress address) {
        return address == null ? "nothing" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** A number as users write it: whole numbers without a decimal point. */
    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}

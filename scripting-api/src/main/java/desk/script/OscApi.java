package desk.script;

import desk.control.OscSurface;
import desk.session.CallbackFailure;
import desk.session.DeskException;
import desk.session.Session;
import org.graalvm.polyglot.Value;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The script API of OSC, {@code session.osc}: listening for control surfaces, the clients subscribed to
 * feedback, and scripts' own messages in and out.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class OscApi {
    private OscApi() {
    }

    /** Adds {@code osc} to the session type. */
    static ApiType<Session> sessionMembers(ApiType<Session> type, OscSurface osc) {
        return type.property("osc", "OSC: listen for control surfaces and tablets, send and receive messages (see"
                + " Osc).", s -> osc);
    }

    /** The {@code Osc} type. */
    static ApiType<OscSurface> oscType(Session session) {
        return new ApiType<>("Osc", OscSurface.class, "Desk's OSC server (UDP) and the scripts' messages; off until"
                + " listen.", o -> "session.osc")
                .method("listen", "listen(port, {bind, token})", "Listens on port (default " + OscSurface.DEFAULT_PORT
                        + "; 0: any free one) of bind (default \"127.0.0.1\", this machine only). A bind other machines"
                        + " reach needs a token: text, or true to make one (read it from token); every message must"
                        + " then carry it as its first argument. Returns the port.", Set.of("bind", "token"), (o, a) -> {
                        a.check(1, Set.of("bind", "token"));
                        String label = a.method();
                        Value port = a.optional(0);
                        int number = port == null ? OscSurface.DEFAULT_PORT : Convert.integer(port, label + " port", 0, 65_535);
                        Value bind = a.option("bind");
                        Value token = a.option("token");
                        String given = null;
                        if (token != null && token.isBoolean()) {
                            given = token.asBoolean() ? OscSurface.newToken() : null;
                        } else if (token != null) {
                            given = Convert.text(token, label + " token");
                        }
                        InetSocketAddress bound = o.listen(bind == null ? "127.0.0.1" : Convert.text(bind, label + " bind"),
                                number, given);
                        return bound.getPort();
                    })
                .method("close", "close()", "Stops listening and ends every subscription.", Set.of(), (o, a) -> {
                    a.check(0, Set.of());
                    o.close();
                    return ApiType.NOTHING;
                })
                .property("port", "The port listened on (null when not listening).", o -> o.address() == null ? null
                        : (Object) o.address().getPort())
                .property("address", "host:port listened on (null when not listening).",
                        o -> o.address() == null ? null : OscSurface.describe(o.address()))
                .property("token", "The token messages must carry (null for none).", OscSurface::token)
                .property("clients", "The clients subscribed to feedback (/desk/subscribe), in words.", OscSurface::clients)
                .property("received", "Packets received since start.", o -> (double) o.received())
                .property("refused", "Messages refused for a missing or wrong token (they get no answer).",
                        o -> (double) o.refused())
                .property("malformed", "Packets received that were not OSC (ignored).", o -> (double) o.malformed())
                .property("dropped", "Messages for osc.on handlers dropped because " + OscSurface.MAX_EVENTS
                        + " were waiting for the script thread.", o -> (double) o.dropped())
                .method("on", "on(address, fn)", "Calls fn with the arguments of each message to address (or an"
                        + " OSC pattern such as \"/pad/*\"), on the script thread; replaces the function already there."
                        + " Addresses under /desk/ are Desk's own.", Set.of(), (o, a) -> {
                        a.check(2, Set.of());
                        String label = a.method();
                        String pattern = Convert.text(a.required(0, "an address"), label + " address");
                        Value fn = a.required(1, "a function");
                        if (!fn.canExecute()) {
                            throw new DeskException(label + " fn " + Convert.show(fn) + ": must be a function");
                        }
                        o.on(pattern, arguments -> {
                            try {
                                session.callbackBudget().run("osc.on " + pattern, () -> fn.executeVoid(arguments.toArray()));
                            } catch (CallbackFailure failure) {
                                throw new DeskException(ScriptError.oneLine(failure));
                            }
                        });
                        return ApiType.NOTHING;
                    })
                .method("off", "off(address)", "Stops calling the function of address; true when there was one.",
                        Set.of(), (o, a) -> {
                        a.check(1, Set.of());
                        return o.off(Convert.text(a.required(0, "an address"), a.method() + " address"));
                    })
                .property("handled", "The addresses scripts handle (osc.on).", OscSurface::handled)
                .method("send", "send(host, port, address, ...args)", "Sends a message: whole numbers as OSC"
                        + " integers, other numbers as floats, text as strings, true and false as T and F. To this"
                        + " machine only, unless Desk was started with --allow-io.", Set.of(), (o, a) -> {
                        String label = a.method();
                        String host = Convert.text(a.required(0, "a host"), label + " host");
                        int port = Convert.integer(a.required(1, "a port"), label + " port", 1, 65_535);
                        String address = Convert.text(a.required(2, "an address"), label + " address");
                        List<Object> arguments = new ArrayList<>();
                        for (int i = 3; i < a.count(); i++) {
                            arguments.add(argument(a.required(i, "an argument"), label));
                        }
                        o.send(host, port, address, arguments);
                        return ApiType.NOTHING;
                    });
    }

    /** A script value as an OSC argument. */
    private static Object argument(Value value, String label) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isNumber() && value.fitsInInt()) {
            return value.asInt();
        }
        if (value.isNumber() && value.fitsInDouble() && Double.isFinite(value.asDouble())) {
            return (float) value.asDouble();
        }
        throw new DeskException(label + " argument " + Convert.show(value) + ": must be a number, text, true or false");
    }
}

package desk.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A picture of a session's signal flow, as text: a tree read from the master down, or Graphviz DOT.
 * <p>
 * The tree starts at the master; under each bus come the buses, then the tracks, whose output goes into it
 * (each in the order it was made). Every strip is one line: its name and width, a track's input after
 * {@code <-}, trim and pan when moved, the fader, MUTE, SOLO, solo-safe, armed and the inserts in the order
 * they run (bypassed ones marked). Under a strip's line come its sends ({@code send -> Verb -12.0 dB post}),
 * the sends a bus receives, and a bus's direct out or the master's output with the ports they feed. Strips
 * whose output goes nowhere, and sources no track listens to, follow the master's tree.
 * <p>
 * The DOT graph has a node for every source, input port, strip and output port, an edge from each input to
 * its track, from each strip to its output, for each send (dashed, labelled with its level and pick-off
 * point), each side chain (dotted) and each output port connection.
 * <p>
 * Threads: the session's control thread (it reads the session model).
 */
public final class RoutingView {
    private final Session session;

    private RoutingView(Session session) {
        this.session = session;
    }

    /**
     * The routing of {@code session} in {@code format}: "tree" or "dot"; refused in one line after
     * {@code label} (e.g. {@code session.routing format}) otherwise.
     */
    public static String draw(Session session, String format, String label) {
        RoutingView view = new RoutingView(session);
        return switch (format == null ? "" : format) {
            case "tree" -> view.tree();
            case "dot" -> view.dot();
            default -> throw new DeskException(label + " " + Session.describe(format) + ": must be \"tree\" or \"dot\"");
        };
    }

    /** The tree from the master down, one line per strip, send and port connection, ending in a line break. */
    public static String tree(Session session) {
        return new RoutingView(session).tree();
    }

    /** The Graphviz DOT text of the routing. */
    public static String dot(Session session) {
        return new RoutingView(session).dot();
    }

    private String tree() {
        StringBuilder text = new StringBuilder();
        drawStrip(text, session.master(), "", "", "");
        List<Strip> unrouted = strips().stream().filter(strip -> strip.output() == null).toList();
        if (!unrouted.isEmpty()) {
            text.append("\nnot routed (output none):\n");
            for (Strip strip : unrouted) {
                drawStrip(text, strip, "", "", "");
            }
        }
        List<String> unheard = unheardSources();
        if (!unheard.isEmpty()) {
            text.append("\nsources no track takes: ").append(String.join(", ", unheard)).append('\n');
        }
        return text.toString();
    }

    /** Draws {@code strip} after {@code branch}, its details and sends, then what feeds it, below. */
    private void drawStrip(StringBuilder text, Strip strip, String indent, String branch, String below) {
        List<Strip> feeders = feeders(strip);
        text.append(indent).append(branch).append(headline(strip)).append('\n');
        String detailIndent = indent + below + (feeders.isEmpty() ? "    " : "|   ");
        for (String detail : details(strip)) {
            text.append(detailIndent).append(detail).append('\n');
        }
        for (int i = 0; i < feeders.size(); i++) {
            boolean last = i == feeders.size() - 1;
            drawStrip(text, feeders.get(i), indent + below, last ? "`-- " : "|-- ", last ? "    " : "|   ");
        }
    }

    /** The buses, then the tracks, whose output goes into {@code strip}, each in the order they were made. */
    private List<Strip> feeders(Strip strip) {
        return strips().stream().filter(other -> other != strip && other.output() == strip).toList();
    }

    /** Every strip but the master: the buses, then the tracks. */
    private List<Strip> strips() {
        List<Strip> strips = new ArrayList<>(session.buses());
        strips.addAll(session.tracks());
        return strips;
    }

    /** The strip's line: name and width, input, levels, state and inserts. */
    private static String headline(Strip strip) {
        List<String> fields = new ArrayList<>();
        fields.add(strip.name() + " (" + kind(strip) + ")");
        if (strip instanceof Track track) {
            fields.add("<- " + inputText(track));
        }
        if (strip.trim() != 0) {
            fields.add("trim " + signed(strip.trim()));
        }
        fields.add("fader " + StripText.oneDecimal(strip.fader()) + " dB");
        double position = strip.channels() == 1 ? strip.pan() : strip.balance();
        if (position != 0) {
            fields.add((strip.channels() == 1 ? "pan " : "bal ") + StripText.position(position));
        }
        for (boolean inverted : strip.phase()) {
            if (inverted) {
                fields.add("phase-inverted");
                break;
            }
        }
        fields.addAll(flags(strip));
        if (!strip.inserts().isEmpty()) {
            fields.add("inserts: " + String.join(", ", strip.inserts().stream().map(RoutingView::insertText).toList()));
        }
        return String.join("  ", fields);
    }

    private static List<String> flags(Strip strip) {
        List<String> flags = new ArrayList<>();
        if (strip.mute()) {
            flags.add("MUTE");
        }
        if (strip.solo()) {
            flags.add("SOLO");
        }
        if (strip.soloSafe()) {
            flags.add("solo-safe");
        }
        if (strip instanceof Track track && track.armed()) {
            flags.add("armed");
        }
        return flags;
    }

    /** The lines under a strip: its output ports, the sends it receives, and its own sends. */
    private List<String> details(Strip strip) {
        List<String> details = new ArrayList<>();
        if (strip instanceof Bus bus && hasOutputPorts(bus)) {
            String ports = portsText(bus.connections());
            details.add((bus.kind() == Bus.Kind.MASTER ? "out -> " : "direct out -> ") + ports);
        }
        List<String> senders = strips().stream().filter(other -> other.sendMap().containsKey(strip))
                .map(Strip::name).toList();
        if (!senders.isEmpty()) {
            details.add("<- sends from " + String.join(", ", senders));
        }
        for (Send send : strip.sends()) {
            details.add("send -> " + send.destination().name() + "  " + String.join("  ", sendFields(send)));
        }
        return details;
    }

    private static String kind(Strip strip) {
        if (strip instanceof Bus bus && bus.kind() != Bus.Kind.MASTER) {
            return bus.kind().scriptName() + ", " + StripText.width(strip.channels());
        }
        return StripText.width(strip.channels());
    }

    /** A track's input: one source or port for all channels, a multichannel source one to one, or one per channel. */
    private static String inputText(Track track) {
        List<Object> inputs = track.input();
        if (inputs.stream().allMatch(Objects::isNull)) {
            return "no input";
        }
        if (inputs.stream().allMatch(input -> Objects.equals(input, inputs.getFirst()))) {
            return inputs.getFirst().toString();
        }
        Source whole = oneToOne(inputs);
        if (whole != null) {
            return whole.toString();
        }
        return String.join(", ", inputs.stream().map(input -> input == null ? "none" : input.toString()).toList());
    }

    /** The source whose channels feed the track's channels one to one, or null. */
    private static Source oneToOne(List<Object> inputs) {
        if (!(inputs.getFirst() instanceof Source.SourceChannel first) || first.source().channels() != inputs.size()) {
            return null;
        }
        for (int c = 0; c < inputs.size(); c++) {
            if (!(inputs.get(c) instanceof Source.SourceChannel channel) || channel.source() != first.source()
                    || channel.index() != c) {
                return null;
            }
        }
        return first.source();
    }

    private static String insertText(Insert insert) {
        List<String> notes = new ArrayList<>();
        if (insert.bypass()) {
            notes.add("bypassed");
        }
        if (insert.sidechain() != null) {
            notes.add("side chain " + insert.sidechain().name() + " " + insert.sidechainPoint());
        }
        return insert.type() + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
    }

    /** A send's level, pick-off point and, when it has one of its own, pan. */
    private static List<String> sendFields(Send send) {
        List<String> fields = new ArrayList<>(List.of(StripText.oneDecimal(send.level()) + " dB", send.pre() ? "pre" : "post"));
        if (!Double.isNaN(send.pan())) {
            fields.add("pan " + StripText.position(send.pan()));
        }
        return fields;
    }

    /** Port connections, channel by channel: {@code a, b}; a channel feeding several ports joins them with +. */
    private static String portsText(List<List<String>> connections) {
        if (connections.stream().allMatch(List::isEmpty)) {
            return "not connected";
        }
        return String.join(", ", connections.stream()
                .map(ports -> ports.isEmpty() ? "nothing" : String.join(" + ", ports)).toList());
    }

    private static String signed(double db) {
        return (db > 0 ? "+" : "") + StripText.oneDecimal(db) + " dB";
    }

    private List<String> unheardSources() {
        List<Source> heard = session.tracks().stream().flatMap(track -> track.input().stream())
                .filter(input -> input instanceof Source.SourceChannel)
                .map(input -> ((Source.SourceChannel) input).source()).toList();
        return session.sources().stream().filter(source -> !heard.contains(source)).map(Source::toString).toList();
    }

    private String dot() {
        StringBuilder text = new StringBuilder("digraph routing {\n");
        text.append("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
        List<Source> sources = session.sources();
        for (Source source : sources) {
            node(text, sourceId(sources, source), source.toString(), List.of("shape=ellipse"));
        }
        List<String> edges = new ArrayList<>();
        List<String> inputPorts = new ArrayList<>();
        for (Track track : session.tracks()) {
            inputEdges(track, sources, inputPorts, edges);
        }
        for (String port : inputPorts) {
            node(text, "in:" + port, port, List.of("shape=cds"));
        }
        List<Strip> all = new ArrayList<>(strips());
        all.add(session.master());
        List<String> outputPorts = new ArrayList<>();
        for (Strip strip : all) {
            List<String> attributes = new ArrayList<>();
            if (strip == session.master()) {
                attributes.add("shape=doubleoctagon");
            }
            attributes.addAll(fill(strip));
            node(text, stripId(strip), dotLabel(strip), attributes);
            stripEdges(strip, outputPorts, edges);
        }
        for (String port : outputPorts) {
            node(text, "out:" + port, port, List.of("shape=cds"));
        }
        edges.forEach(edge -> text.append("  ").append(edge).append(";\n"));
        return text.append("}\n").toString();
    }

    /** The edges from a track's inputs, one per port or source, naming the channels when it feeds only some. */
    private static void inputEdges(Track track, List<Source> sources, List<String> inputPorts,
                                   List<String> edges) {
        Map<String, List<Integer>> channelsByInput = new LinkedHashMap<>();
        List<Object> inputs = track.input();
        for (int c = 0; c < inputs.size(); c++) {
            Object input = inputs.get(c);
            if (input instanceof String port) {
                if (!inputPorts.contains(port)) {
                    inputPorts.add(port);
                }
                channelsByInput.computeIfAbsent("in:" + port, id -> new ArrayList<>()).add(c + 1);
            } else if (input instanceof Source.SourceChannel channel) {
                channelsByInput.computeIfAbsent(sourceId(sources, channel.source()), id -> new ArrayList<>()).add(c + 1);
            }
        }
        channelsByInput.forEach((id, channels) -> edges.add(edge(id, stripId(track),
                channels.size() == inputs.size() ? List.of() : List.of("label=" + quote(channelsText(channels))))));
    }

    /** A strip's edges: its output, its sends, its inserts' side chains and its output ports' connections. */
    private void stripEdges(Strip strip, List<String> outputPorts, List<String> edges) {
        if (strip.output() != null && strip != session.master()) {
            edges.add(edge(stripId(strip), stripId(strip.output()), List.of()));
        }
        for (Send send : strip.sends()) {
            edges.add(edge(stripId(strip), stripId(send.destination()),
                    List.of("label=" + quote(String.join(" ", sendFields(send))), "style=dashed")));
        }
        for (Insert insert : strip.inserts()) {
            if (insert.sidechain() != null) {
                edges.add(edge(stripId(insert.sidechain()), stripId(strip), List.of("label="
                        + quote("side chain " + insert.sidechainPoint() + " to " + insert.type()), "style=dotted")));
            }
        }
        if (strip instanceof Bus bus && hasOutputPorts(bus)) {
            Map<String, List<Integer>> channelsByPort = new LinkedHashMap<>();
            List<List<String>> connections = bus.connections();
            for (int c = 0; c < connections.size(); c++) {
                for (String port : connections.get(c)) {
                    channelsByPort.computeIfAbsent(port, p -> new ArrayList<>()).add(c + 1);
                }
            }
            String prefix = bus.kind() == Bus.Kind.MASTER ? "" : "direct out ";
            channelsByPort.forEach((port, channels) -> {
                if (!outputPorts.contains(port)) {
                    outputPorts.add(port);
                }
                edges.add(edge(stripId(strip), "out:" + port, List.of("label=" + quote(prefix + channelsText(channels)))));
            });
        }
    }

    private static boolean hasOutputPorts(Bus bus) {
        return bus.kind() == Bus.Kind.MASTER || bus.directOut();
    }

    private static String channelsText(List<Integer> channels) {
        return "ch " + String.join(", ", channels.stream().map(String::valueOf).toList());
    }

    private static String dotLabel(Strip strip) {
        List<String> lines = new ArrayList<>();
        lines.add(strip.name() + " (" + kind(strip) + ")");
        String levels = "fader " + StripText.oneDecimal(strip.fader()) + " dB";
        if (strip.trim() != 0) {
            levels = "trim " + signed(strip.trim()) + "  " + levels;
        }
        lines.add(levels);
        List<String> flags = flags(strip);
        if (!flags.isEmpty()) {
            lines.add(String.join(" ", flags));
        }
        for (Insert insert : strip.inserts()) {
            lines.add(insertText(insert));
        }
        return String.join("\n", lines);
    }

    /** Grey for a muted strip, gold for a soloed one (mute wins, as in the desk); nothing otherwise. */
    private static List<String> fill(Strip strip) {
        if (strip.mute()) {
            return List.of("style=filled", "fillcolor=lightgrey");
        }
        return strip.solo() ? List.of("style=filled", "fillcolor=gold") : List.of();
    }

    private static void node(StringBuilder text, String id, String label, List<String> attributes) {
        List<String> all = new ArrayList<>();
        all.add("label=" + quote(label));
        all.addAll(attributes);
        text.append("  ").append(quote(id)).append(" [").append(String.join(", ", all)).append("];\n");
    }

    private static String edge(String from, String to, List<String> attributes) {
        return quote(from) + " -> " + quote(to) + (attributes.isEmpty() ? "" : " [" + String.join(", ", attributes) + "]");
    }

    private static String sourceId(List<Source> sources, Source source) {
        return "source:" + (sources.indexOf(source) + 1);
    }

    private static String stripId(Strip strip) {
        return "strip:" + strip.name();
    }

    /** A DOT string: quotes and backslashes escaped, line breaks as DOT's centred line breaks. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}

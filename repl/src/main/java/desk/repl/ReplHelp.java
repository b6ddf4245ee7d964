package desk.repl;

import desk.engine.fx.BuiltIns;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.ProcessorType;
import desk.script.ApiRegistry;
import desk.script.ApiType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The texts of the REPL's {@code :help}: the commands and types, a type's members, the members of one name
 * (or {@code Type.member}), an insert type's parameters.
 * <p>
 * Threads: any; it only reads the API registry.
 */
final class ReplHelp {
    private ReplHelp() {
    }

    /** The help on {@code topic} (empty: the overview), ending with a newline. */
    static String text(String topic, ApiRegistry registry) {
        StringBuilder text = new StringBuilder();
        if (topic.isEmpty()) {
            text.append("""
                    Desk: a mixing desk you drive from code. The session is `session`.
                      session.track("Vox")                 a mono track (JS: {channels: 2}; Python: channels=2)
                      session.bus("Drums")                 a group bus; {kind: "aux"} for a return
                      vox.fader = -6; vox.pan = -0.2       properties for values (dB, -1..+1)
                      vox.output = drums                   routing; vox.send(verb, {level: -12})
                      vox.input = session.generator("sine", {freq: 440, level: -18})
                    Commands:
                      :js, :py          switch language      :load FILE   run a script file
                      :help TOPIC       a type, a member (Track.send) or an insert (compressor)
                      :verbose          stack traces on/off
                      :meters or F2     live meters, any key :gain STAGE  gain-staging report
                      :routing          the signal flow as a tree (:routing dot for Graphviz)
                      :save [DIR]       save the session (into DIR from now on; see --session)
                      :undo, :redo      take the last line's changes back, or make them again
                      :reconnect        reconnect to JACK now (it also happens by itself)
                      :quit or Ctrl-D   leave                Ctrl-C       stop a running evaluation
                    Types:\s""");
            List<String> names = new ArrayList<>();
            registry.types().forEach(type -> names.add(type.name()));
            text.append(String.join(", ", names)).append('\n');
            return text.toString();
        }
        int dot = topic.indexOf('.');
        String typeName = dot < 0 ? topic : topic.substring(0, dot);
        String memberName = dot < 0 ? topic : topic.substring(dot + 1);
        for (ApiType<?> type : registry.types()) {
            if (dot < 0 && type.name().equalsIgnoreCase(topic)) {
                text.append(type.name()).append(": ").append(type.help()).append('\n');
                type.members().values().forEach(member -> text.append(describe("  ", member)).append('\n'));
            }
        }
        for (ApiType<?> type : registry.types()) {
            ApiType.Member<?> member = type.members().get(memberName);
            if (member != null && (dot < 0 || type.name().equalsIgnoreCase(typeName))) {
                text.append(describe(type.name() + ".", member)).append('\n');
            }
        }
        ProcessorType insert = dot < 0 ? BuiltIns.find(topic.toLowerCase(Locale.ROOT)) : null;
        if (insert != null) {
            text.append("insert \"").append(insert.name()).append("\": ").append(insert.summary()).append('\n');
            int width = insert.parameters().stream().mapToInt(parameter -> parameter.name().length()).max().orElse(1);
            for (InsertParameter parameter : insert.parameters()) {
                text.append(String.format(Locale.ROOT, "  %-" + width + "s  %-34s %s%n", parameter.name(),
                        parameter.allowed()
                        + (parameter.isToggle() ? "" : ", default " + parameter.format(parameter.initial())),
                        parameter.help()));
            }
        }
        if (text.isEmpty()) {
            text.append("no help on \"").append(topic).append("\": try :help, a type such as :help Track, a member"
                    + " such as :help Track.send, or an insert such as :help compressor\n");
        }
        return text.toString();
    }

    private static String describe(String prefix, ApiType.Member<?> member) {
        String head = member instanceof ApiType.Method<?> method ? method.signature() : member.name();
        return String.format(Locale.ROOT, "%-40s %s", prefix + head, member.help());
    }
}

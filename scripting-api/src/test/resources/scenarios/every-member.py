# Touches every member of the API; its JavaScript twin must leave the same session and render the same audio.
drums = session.bus("Drums", kind="group", channels=2)
verb = session.bus("Verb", kind="aux")
cue = session.bus("Cue")
kick = session.track("Kick", channels=1)
keys = session.track("Keys", channels=2)
tone = session.generator("sine", freq=220, level=-12)
noise = session.generator("noise", color="pink", seed=7, level=-24)
square = session.generator("square", freq=110, level=-30)
click = session.generator("impulse", level=-6, at=0.25, every=0.5)
quiet = session.generator("silence")
kick.input = tone
keys.input = [noise.channel(1), square]
kick.trim = 3
kick.fader = -4
kick.pan = -0.25
kick.panLaw = -4.5
kick.phase = True
kick.mute = False
kick.solo = False
kick.soloSafe = False
kick.output = drums
keys.balance = 0.5
keys.phase = [False, True]
send = kick.send(verb, level=-10, pre=False)
send.level = -8
send.pre = True
send.pan = 0.5
send.pan = None
keys.send("Verb", level=-14)
temporary = keys.send(cue, level=-20, pre=True)
temporary.remove()
drums.fader = -2
drums.trim = 0
verb.output = session.master
session.master.fader = -1
session.master.balance = 0
spare = session.track("Spare")
spare.input = "system:capture_1"
spare.name = "Spare 2"
spare.input = click
spare.remove()
cue.remove()
monitor = session.bus("Monitor", kind="aux", channels=1)
monitor.pan = 0.2
monitor.panLaw = -6
drums.mute = False
drums.solo = False
drums.soloSafe = True
drums.phase = False
drums.send(monitor, level=-6, pre=True)
loop = session.file(toneFile, loop=True)
strings = session.track("Strings", channels=2)
strings.input = loop
strings.output = monitor
session.metering = True
session.vuReference = -20
session.callbackBudget = 250
routed = len(session.routing().split("\n")) > 1
kick.loudness = "pre"
watch = kick.meter.pre.when("truePeak", lambda v: v, above=-1)
watched = watch.active
watch.cancel()
kick.meter.reset()
session.resetMeters()
try:
    trimmed = kick.autoTrim(target=-18)
except DeskError as e:
    trimmed = str(e)
drums.loudness = "post"
try:
    busTrimmed = drums.autoTrim()
except DeskError as e:
    busTrimmed = str(e)
try:
    session.node("stage2", engine="127.0.0.1:7770", token="0123456789abcdef", tls=False)
    node_refusal = None
except DeskError as e:
    node_refusal = str(e)
print(node_refusal, len(session.nodes))
report = session.gainReport(stage="mixing")
m = kick.meter


def js(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if value == float("-inf"):
            return "-Infinity"
        return str(int(value)) if value == int(value) else repr(value)
    return str(value)


facts = [
    ",".join(t.name for t in session.tracks), ",".join(b.name + ":" + b.kind for b in session.buses),
    session.find("Kick").name, session.master.kind, kick.channels, keys.channels, kick.trim, kick.fader, kick.pan,
    kick.panLaw, kick.phase, "/".join(js(p) for p in keys.phase), kick.mute, kick.solo, kick.soloSafe,
    kick.output.name, keys.balance, len(kick.sends), send.level, send.pre, send.pan, send.source.name, send.bus.name,
    str(kick.input), len(keys.input), tone.channels, noise.channel(1).number, noise.channel(1).source.channels,
    len(session.sources), len(session.inputs), session.outputs[0], session.sampleRate, session.position,
    session.metering, kick.meter.peak, kick.meter.peakHold, kick.meter.rms, kick.meter.pre.peak, str(quiet),
    drums.channels, monitor.channels, len(drums.sends), js(drums.meter.peak), loop.channels, monitor.pan,
    session.vuReference, session.callbackBudget, routed, kick.loudness, watched, watch.active, trimmed, report.stage, len(report.lines),
    len(report.problems), report.ok, m.peakMax, m.clips, m.invalid, m.rmsAes, m.average, m.vu, m.k20, m.k14, m.k12,
    js(m.momentary), m.pre.momentary, m.pre.shortTerm, m.pre.integrated, m.pre.momentaryMax, m.pre.shortTermMax,
    m.pre.loudnessRange, m.pre.truePeak, m.input.peak, js(m.pre.input),
    drums.loudness, busTrimmed,
    session.bufferSize, session.xruns, session.latency.buffer, session.latency.bufferMs,
    "/".join(js(f) for f in session.latency.capture), "/".join(js(f) for f in session.latency.playback),
    session.latency.roundTrip, session.latency.roundTripMs,
]
# Ports: direct outs and the master's connections (kept offline, checked against the built-in playback ports).
drums.directOut = True
drums.connectOut(["system:playback_3", "system:playback_4"])
monitor.directOut = True
monitor.connectOut("system:playback_5")
monitor.disconnectOut("system:playback_5")
monitor.directOut = False
session.master.disconnectOut("system:playback_2")
session.master.connectOut([None, "system:playback_4"])
master_fed = "/".join("+".join(c) for c in session.master.connections)
session.master.disconnectOut()
session.master.connectOut(["system:playback_1", "system:playback_2"])
port_facts = [drums.directOut, monitor.directOut, len(drums.ports), len(session.master.ports),
              "/".join("+".join(c) for c in drums.connections), len(monitor.connections), master_fed,
              "/".join("+".join(c) for c in session.master.connections), len(session.outputs), str(drums)]
# Time: tempo, transport, scheduling, automation, ramps and checks.
session.tempo = 240
session.timeSignature = "3/4"
hits = []
bar = every("1 bar", lambda: hits.append(session.bars))
once = at("2:1:0", lambda: setattr(kick, "fader", -5))
never = after(0.1, lambda: hits.append("never"))
never.cancel()
lane = kick.lane("trim")
lane.add(0, -4).add("1 bar", -10, curve="scurve").add(0.5, -6, curve="step")
lane.move(2, 0.6, -7)
lane.remove(2)
send_lane = send.lane("level")
send_lane.add(0, -8)
send_lane.mode = "off"
send_lane.clear()
send.ramp("level", -12, 0.25)
keys.ramp("balance", 0.5, "1 beat", curve="gain")
keys.lane("balance").mode = "touch"
keys.lane("balance").release()
checks = [expect(session.tempo, "tempo").to_be(240), expect(1).to_be_below(2), expect(3).to_be_above(2),
          expect(0.5).to_be_close_to(0.49, 0.02)]
drums.lane("mute").add(0, 0)
drums.lane("trim").addPoints([[0, 0], [0.5, -1, "gain"]])
drums.ramp("fader", -1, 0.1)
session.play()
session.stop()
session.locate(0)
session.play()
time_facts = [session.playing, session.position, session.bars, session.clock, session.timeSignature,
              lane.parameter, lane.mode, len(kick.lanes), len(lane.points), lane.points[1].time,
              lane.points[1].sample, lane.points[1].value, lane.points[1].curve, bar.count, bar.done, never.done,
              "/".join(js(c) for c in checks), len(drums.lanes)]

# Recording: arming, monitoring, punch points and a record pass into the session folder.
kick.monitoring = "auto"
kick.armed = True
session.exclusiveArm = True
keys.armed = True
kick.armed = True
session.recordFormat = "32f"
session.recordBuffer = 2
session.punchIn = 0.25
session.punchOut = None
session.punchOut = 0.5
session.loop("3:1:0", "5:1:0")
session.loopEnd = "6:1:0"
session.loopStart = 2
loop_facts = [session.loopStart, session.loopEnd, session.looping]
session.looping = False
clip = strings.clip(toneFile, at=0.5, offset=0.01, length=0.05, gain=-3, fadeIn=0.005, fadeOut=0.005)
clip.position = 0.6
clip.offset = 0
clip.length = 0.08
clip.gain = -6
clip.fadeIn = 0.01
clip.fadeOut = 0.01
strings.clip(toneFile).remove()
strings.monitoring = "off"
session.record()
record_facts = [kick.armed, keys.armed, kick.monitoring, session.exclusiveArm, session.recordFormat,
                session.recordBuffer, session.punchIn, session.punchOut, session.recording, session.folder is not None,
                len(session.takes), len(kick.takes), clip.file, clip.track.name, clip.position, clip.offset,
                clip.length, clip.gain, clip.fadeIn, clip.fadeOut, len(strings.clips),
                ",".join(js(f) for f in loop_facts), session.looping, kick.on is None]

vocal_eq = kick.insert("eq", hpf=40, b2_gain=3, at=0)
squash = keys.insert("compressor", threshold=-24, ratio=3, detector="rms", bypass=True)
squash.bypass = False
squash.sidechain = kick
keyed_by = squash.sidechain.name
squash.sidechainFrom(kick, point="post")
master_limiter = session.master.insert("limiter", ceiling=-1)
echo = verb.insert("delay", time="1/8.", mix=100)
shaper = kick.insert("utility", gain=-2)
shaper.move(0)
vocal_eq.lane("b2_gain").add(0, 3).add(0.5, -3)
vocal_eq.ramp("b1_gain", 2, 0.1)
unused = keys.insert("utility")
unused.remove()
first_type = session.insertTypes[0]
first_parameter = first_type.parameters[0]
insert_facts = ["/".join(i.type for i in kick.inserts), vocal_eq.index, vocal_eq.strip.name, vocal_eq.type,
                squash.bypass, keyed_by, squash.gainReduction, master_limiter.latency > 0,
                session.master.latency > 0, session.master.latencyMs > 0, kick.latency, kick.latencyMs, verb.latency,
                verb.latencyMs, len(verb.inserts), session.latency.inserts > 0, session.latency.insertsMs > 0,
                echo.time, len(echo.parameters), len(vocal_eq.lanes), first_type.name, len(first_type.summary) > 0,
                first_type.sidechain, len(first_type.parameters), first_parameter.name, first_parameter.unit,
                first_parameter.min, first_parameter.max, first_parameter.default, len(first_parameter.choices),
                first_parameter.allowed, len(first_parameter.help) > 0, len(keys.inserts), vocal_eq.b2_gain,
                squash.detector]
# An LV2 plugin, found by name and inserted by it.
amp = session.plugins("simple amp")[0]
plugged = keys.insert("lv2:" + amp.name, gain=-1)
insert_facts += [amp.uri, amp.name, amp.type, getattr(amp, "class"), amp.inputs, amp.outputs, len(amp.parameters),
                 amp.sidechain, amp.reportsLatency, amp.hostable, amp.problem is None, len(amp.presets), plugged.gain,
                 plugged.failed is None]


# Bouncing: the master over half a second onto a new track, and the kick in place.
def bounce_facts():
    mix = session.bounce(range=[0, 0.5], source="master", to="Mix bounce")
    printed = kick.bounceInPlace(range=[0, "1 beat"])
    printed.freeze(until=0.5)
    frozen = printed.frozen
    printed.unfreeze()
    return [mix.name, mix.channels, len(mix.clips), printed.name, kick.mute, frozen, printed.frozen]


def later():
    takes = ",".join(":".join(js(v) for v in [t.track, t.file, t.position, t.sample, t.length, t.channels])
                     for t in session.takes)
    played = [",".join(hits), bar.count, once.done, bar.next, session.bars, kick.fader, session.recording, takes,
              len(kick.takes), len(kick.clips), kick.clips[0].position, session.playbackMissed]
    # Delivering the master: Broadcast Wave, 16 bits with shaped dither, at -20 LUFS under -2 dBTP.
    r = session.render("master.wav", seconds=1, format="bwf", bits=16, dither="shaped", loudness=-20, truePeak=-2,
                       rate=44100, description="every member")
    return " | ".join(js(f) for f in played + [
        r.file.endswith("master.wav"), r.format, r.bits, r.dither, r.rate, r.seconds, abs(r.integrated + 20) < 0.1,
        r.truePeak <= -2, r.samplePeak <= -2, r.loudnessRange >= 0, r.maxMomentary >= r.integrated,
        r.maxShortTerm < 0, r.gain != 0, r.limiter >= 0, "integrated -20.0 LUFS" in str(r),
        r.plot("loudness.png").endswith("loudness.png")] + bounce_facts())


# Saving: into the session folder, and an open refused because the desk is not empty.
saved_to = session.saveAs(session.folder)
try:
    session.open(session.folder, missingMedia="offline")
    open_refused = ""
except DeskError as e:
    open_refused = str(e)
save_facts = [saved_to.endswith("session.json"), session.unsaved, session.save() == saved_to,
              open_refused.endswith("a session opens into an empty desk; this one has tracks or buses")]

# Undo: everything so far is one change group; a pan changed after it is the next, undone and redone.
groups = len(session.history)
kick.pan = 0.25
undone = session.undo()
pan_after_undo = kick.pan
redone = session.redo()
undo_facts = [groups, undone, pan_after_undo, redone, kick.pan, len(session.history)]

# Scenes: all of the mixer, and one fader; recalled now and on a bar with a fade.
session.scene("all")
session.scene("few", only=["fader"], strips=["Kick"])
few_fader = kick.fader
kick.fader = -9
session.recall("few")
session.recall("all", at="9:1:0", fade="1 beat")
scene_facts = ["/".join(session.scenes), few_fader, kick.fader]
try:
    session.exportStems("stems", seconds=0, strips=["Kick"], point="pre-fader")
except DeskError as e:
    print(e)

# OSC: listening on a free port of this machine, a handler, a message sent, closed again.
osc_port = session.osc.listen(0, bind="127.0.0.1")
session.osc.on("/pad/*", lambda value, word: print(value, word))
session.osc.send("127.0.0.1", osc_port, "/pad/1", 3, "x")
osc_facts = [osc_port > 0, session.osc.address == "127.0.0.1:" + js(session.osc.port), session.osc.token is None,
             len(session.osc.clients), session.osc.refused, ",".join(session.osc.handled), session.osc.off("/pad/*"),
             isinstance(session.osc.received, float), session.osc.malformed, session.osc.dropped]
session.osc.close()
# MIDI: an input and an output, a mapping soft takeover holds, a handler, messages in and out, a learn waiting.
midi_in = session.midi.input("pads")
session.midi.output("leds")
mapping = session.midi.map({"cc": 7, "channel": 2}, kick, "fader",
                           range=[-60, 6], curve="linear", takeover=True, feedback="leds")
session.midi.on("note", lambda e: print(e.type, e.number))
session.midi.receive("pads", [0xB1, 7, 0])
session.midi.send("leds", [0x90, 60, 127])
session.midi.learn(kick, "pan", takeover=False)
midi_facts = [midi_in, ",".join(session.midi.inputs), ",".join(session.midi.outputs),
              len(session.midi.available.senders) + len(session.midi.available.receivers), mapping.control,
              mapping.target, "..".join(js(x) for x in mapping.range), mapping.takeover, len(session.midi.mappings),
              session.midi.learning, session.midi.off("note"), isinstance(session.midi.received, float),
              session.midi.dropped, session.midi.unmap(mapping)]

" | ".join(js(f) for f in facts + port_facts + time_facts + record_facts + insert_facts + save_facts + undo_facts
           + scene_facts + osc_facts + midi_facts)

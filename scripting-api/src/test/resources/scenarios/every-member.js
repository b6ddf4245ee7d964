// Touches every member of the API; its Python twin must leave the same session and render the same audio.
const drums = session.bus("Drums", {kind: "group", channels: 2});
const verb = session.bus("Verb", {kind: "aux"});
const cue = session.bus("Cue");
const kick = session.track("Kick", {channels: 1});
const keys = session.track("Keys", {channels: 2});
const tone = session.generator("sine", {freq: 220, level: -12});
const noise = session.generator("noise", {color: "pink", seed: 7, level: -24});
const square = session.generator("square", {freq: 110, level: -30});
const click = session.generator("impulse", {level: -6, at: 0.25, every: 0.5});
const quiet = session.generator("silence");
kick.input = tone;
keys.input = [noise.channel(1), square];
kick.trim = 3;
kick.fader = -4;
kick.pan = -0.25;
kick.panLaw = -4.5;
kick.phase = true;
kick.mute = false;
kick.solo = false;
kick.soloSafe = false;
kick.output = drums;
keys.balance = 0.5;
keys.phase = [false, true];
const send = kick.send(verb, {level: -10, pre: false});
send.level = -8;
send.pre = true;
send.pan = 0.5;
send.pan = null;
keys.send("Verb", {level: -14});
const temporary = keys.send(cue, {level: -20, pre: true});
temporary.remove();
drums.fader = -2;
drums.trim = 0;
verb.output = session.master;
session.master.fader = -1;
session.master.balance = 0;
const spare = session.track("Spare");
spare.input = "system:capture_1";
spare.name = "Spare 2";
spare.input = click;
spare.remove();
cue.remove();
const monitor = session.bus("Monitor", {kind: "aux", channels: 1});
monitor.pan = 0.2;
monitor.panLaw = -6;
drums.mute = false;
drums.solo = false;
drums.soloSafe = true;
drums.phase = false;
drums.send(monitor, {level: -6, pre: true});
const loop = session.file(toneFile, {loop: true});
const strings = session.track("Strings", {channels: 2});
strings.input = loop;
strings.output = monitor;
session.metering = true;
session.vuReference = -20;
session.callbackBudget = 250;
const routed = session.routing().split("\n").length > 1;
kick.loudness = "pre";
const watch = kick.meter.pre.when("truePeak", v => v, {above: -1});
const watched = watch.active;
watch.cancel();
kick.meter.reset();
session.resetMeters();
let trimmed;
try {
  trimmed = kick.autoTrim({target: -18});
} catch (e) {
  trimmed = e.message;
}
drums.loudness = "post";
let busTrimmed;
try {
  busTrimmed = drums.autoTrim();
} catch (e) {
  busTrimmed = e.message;
}
let nodeRefusal;
try {
  session.node("stage2", {engine: "127.0.0.1:7770", token: "0123456789abcdef", tls: false});
} catch (e) {
  nodeRefusal = e.message;
}
print(nodeRefusal, session.nodes.length);
const report = session.gainReport({stage: "mixing"});
const m = kick.meter;
const facts = [
  session.tracks.map(t => t.name).join(","), session.buses.map(b => b.name + ":" + b.kind).join(","),
  session.find("Kick").name, session.master.kind, kick.channels, keys.channels, kick.trim, kick.fader, kick.pan,
  kick.panLaw, kick.phase, keys.phase.join("/"), kick.mute, kick.solo, kick.soloSafe, kick.output.name,
  keys.balance, kick.sends.length, send.level, send.pre, String(send.pan), send.source.name, send.bus.name,
  String(kick.input), keys.input.length, tone.channels, noise.channel(1).number, noise.channel(1).source.channels,
  session.sources.length, session.inputs.length, session.outputs[0], session.sampleRate, session.position,
  session.metering, kick.meter.peak, kick.meter.peakHold, kick.meter.rms, kick.meter.pre.peak, String(quiet),
  drums.channels, monitor.channels, drums.sends.length, String(drums.meter.peak), loop.channels, monitor.pan,
  session.vuReference, session.callbackBudget, routed, kick.loudness, watched, watch.active, trimmed, report.stage, report.lines.length,
  report.problems.length, report.ok, m.peakMax, m.clips, m.invalid, m.rmsAes, m.average, m.vu, m.k20, m.k14, m.k12,
  String(m.momentary), m.pre.momentary, m.pre.shortTerm, m.pre.integrated, m.pre.momentaryMax, m.pre.shortTermMax,
  m.pre.loudnessRange, m.pre.truePeak, m.input.peak, String(m.pre.input),
  drums.loudness, busTrimmed,
  session.bufferSize, session.xruns, session.latency.buffer, session.latency.bufferMs,
  session.latency.capture.join("/"), session.latency.playback.join("/"), session.latency.roundTrip,
  session.latency.roundTripMs,
];
// Ports: direct outs and the master's connections (kept offline, checked against the built-in playback ports).
drums.directOut = true;
drums.connectOut(["system:playback_3", "system:playback_4"]);
monitor.directOut = true;
monitor.connectOut("system:playback_5");
monitor.disconnectOut("system:playback_5");
monitor.directOut = false;
session.master.disconnectOut("system:playback_2");
session.master.connectOut([null, "system:playback_4"]);
const masterFed = session.master.connections.map(c => c.join("+")).join("/");
session.master.disconnectOut();
session.master.connectOut(["system:playback_1", "system:playback_2"]);
const portFacts = [drums.directOut, monitor.directOut, drums.ports.length, session.master.ports.length,
  drums.connections.map(c => c.join("+")).join("/"), monitor.connections.length, masterFed,
  session.master.connections.map(c => c.join("+")).join("/"), session.outputs.length, String(drums)];
// Time: tempo, transport, scheduling, automation, ramps and checks.
session.tempo = 240;
session.timeSignature = "3/4";
const hits = [];
const bar = every("1 bar", () => hits.push(session.bars));
const once = at("2:1:0", () => { kick.fader = -5; });
const never = after(0.1, () => hits.push("never"));
never.cancel();
const lane = kick.lane("trim");
lane.add(0, -4).add("1 bar", -10, {curve: "scurve"}).add(0.5, -6, {curve: "step"});
lane.move(2, 0.6, -7);
lane.remove(2);
const sendLane = send.lane("level");
sendLane.add(0, -8);
sendLane.mode = "off";
sendLane.clear();
send.ramp("level", -12, 0.25);
keys.ramp("balance", 0.5, "1 beat", {curve: "gain"});
keys.lane("balance").mode = "touch";
keys.lane("balance").release();
const checks = [expect(session.tempo, "tempo").toBe(240), expect(1).toBeBelow(2), expect(3).toBeAbove(2),
  expect(0.5).toBeCloseTo(0.49, 0.02)];
drums.lane("mute").add(0, 0);
drums.lane("trim").addPoints([[0, 0], [0.5, -1, "gain"]]);
drums.ramp("fader", -1, 0.1);
session.play();
session.stop();
session.locate(0);
session.play();
const timeFacts = [session.playing, session.position, session.bars, session.clock, session.timeSignature,
  lane.parameter, lane.mode, kick.lanes.length, lane.points.length, lane.points[1].time, lane.points[1].sample,
  lane.points[1].value, lane.points[1].curve, bar.count, bar.done, never.done, checks.join("/"),
  drums.lanes.length];
// Recording: arming, monitoring, punch points and a record pass into the session folder.
kick.monitoring = "auto";
kick.armed = true;
session.exclusiveArm = true;
keys.armed = true;
kick.armed = true;
session.recordFormat = "32f";
session.recordBuffer = 2;
session.punchIn = 0.25;
session.punchOut = null;
session.punchOut = 0.5;
session.loop("3:1:0", "5:1:0");
session.loopEnd = "6:1:0";
session.loopStart = 2;
const loopFacts = [session.loopStart, session.loopEnd, session.looping];
session.looping = false;
const clip = strings.clip(toneFile, {at: 0.5, offset: 0.01, length: 0.05, gain: -3, fadeIn: 0.005, fadeOut: 0.005});
clip.position = 0.6;
clip.offset = 0;
clip.length = 0.08;
clip.gain = -6;
clip.fadeIn = 0.01;
clip.fadeOut = 0.01;
strings.clip(toneFile).remove();
strings.monitoring = "off";
session.record();
const recordFacts = [kick.armed, keys.armed, kick.monitoring, session.exclusiveArm, session.recordFormat,
  session.recordBuffer, session.punchIn, session.punchOut, session.recording, session.folder !== null,
  session.takes.length, kick.takes.length, clip.file, clip.track.name, clip.position, clip.offset, clip.length,
  clip.gain, clip.fadeIn, clip.fadeOut, strings.clips.length, loopFacts.join(","), session.looping, kick.on === null];
const vocalEq = kick.insert("eq", {hpf: 40, b2_gain: 3, at: 0});
const squash = keys.insert("compressor", {threshold: -24, ratio: 3, detector: "rms", bypass: true});
squash.bypass = false;
squash.sidechain = kick;
const keyedBy = squash.sidechain.name;
squash.sidechainFrom(kick, {point: "post"});
const masterLimiter = session.master.insert("limiter", {ceiling: -1});
const echo = verb.insert("delay", {time: "1/8.", mix: 100});
const shaper = kick.insert("utility", {gain: -2});
shaper.move(0);
vocalEq.lane("b2_gain").add(0, 3).add(0.5, -3);
vocalEq.ramp("b1_gain", 2, 0.1);
const unused = keys.insert("utility");
unused.remove();
const firstType = session.insertTypes[0];
const firstParameter = firstType.parameters[0];
const insertFacts = [kick.inserts.map(i => i.type).join("/"), vocalEq.index, vocalEq.strip.name, vocalEq.type,
  squash.bypass, keyedBy, squash.gainReduction, masterLimiter.latency > 0, session.master.latency > 0,
  session.master.latencyMs > 0, kick.latency, kick.latencyMs, verb.latency, verb.latencyMs, verb.inserts.length,
  session.latency.inserts > 0, session.latency.insertsMs > 0, echo.time, echo.parameters.length, vocalEq.lanes.length,
  firstType.name, firstType.summary.length > 0, firstType.sidechain, firstType.parameters.length, firstParameter.name,
  firstParameter.unit, firstParameter.min, firstParameter.max, firstParameter.default, firstParameter.choices.length,
  firstParameter.allowed, firstParameter.help.length > 0, keys.inserts.length, vocalEq.b2_gain, squash.detector];
// An LV2 plugin, found by name and inserted by it.
const amp = session.plugins("simple amp")[0];
const plugged = keys.insert("lv2:" + amp.name, {gain: -1});
insertFacts.push(amp.uri, amp.name, amp.type, amp["class"], amp.inputs, amp.outputs, amp.parameters.length,
  amp.sidechain, amp.reportsLatency, amp.hostable, amp.problem === null, amp.presets.length, plugged.gain,
  plugged.failed === null);
// Bouncing: the master over half a second onto a new track, and the kick in place.
function bounceFacts() {
  const mix = session.bounce({range: [0, 0.5], source: "master", to: "Mix bounce"});
  const printed = kick.bounceInPlace({range: [0, "1 beat"]});
  printed.freeze({until: 0.5});
  const frozen = printed.frozen;
  printed.unfreeze();
  return [mix.name, mix.channels, mix.clips.length, printed.name, kick.mute, frozen, printed.frozen];
}
var later = () => {
  const played = [hits.join(","), bar.count, once.done, bar.next, session.bars, kick.fader, session.recording,
    session.takes.map(t => [t.track, t.file, t.position, t.sample, t.length, t.channels].join(":")).join(","),
    kick.takes.length, kick.clips.length, kick.clips[0].position, session.playbackMissed];
  // Delivering the master: Broadcast Wave, 16 bits with shaped dither, at -20 LUFS under -2 dBTP.
  const r = session.render("master.wav", {seconds: 1, format: "bwf", bits: 16, dither: "shaped", loudness: -20,
    truePeak: -2, rate: 44100, description: "every member"});
  return played.concat([r.file.endsWith("master.wav"), r.format, r.bits, r.dither, r.rate, r.seconds,
    Math.abs(r.integrated + 20) < 0.1, r.truePeak <= -2, r.samplePeak <= -2, r.loudnessRange >= 0,
    r.maxMomentary >= r.integrated, r.maxShortTerm < 0, r.gain !== 0, r.limiter >= 0,
    String(r).includes("integrated -20.0 LUFS"), r.plot("loudness.png").endsWith("loudness.png")])
    .concat(bounceFacts()).join(" | ");
};
// Saving: into the session folder, and an open refused because the desk is not empty.
const savedTo = session.saveAs(session.folder);
let openRefused;
try {
  session.open(session.folder, {missingMedia: "offline"});
} catch (e) {
  openRefused = e.message;
}
const saveFacts = [savedTo.endsWith("session.json"), session.unsaved, session.save() === savedTo,
  openRefused.endsWith("a session opens into an empty desk; this one has tracks or buses")];
// Undo: everything so far is one change group; a pan changed after it is the next, undone and redone.
const groups = session.history.length;
kick.pan = 0.25;
const undone = session.undo();
const panAfterUndo = kick.pan;
const redone = session.redo();
const undoFacts = [groups, undone, panAfterUndo, redone, kick.pan, session.history.length];
// Scenes: all of the mixer, and one fader; recalled now and on a bar with a fade.
session.scene("all");
session.scene("few", {only: ["fader"], strips: ["Kick"]});
const fewFader = kick.fader;
kick.fader = -9;
session.recall("few");
session.recall("all", {at: "9:1:0", fade: "1 beat"});
const sceneFacts = [session.scenes.join("/"), fewFader, kick.fader];
try {
  session.exportStems("stems", {seconds: 0, strips: ["Kick"], point: "pre-fader"});
} catch (e) {
  print(e.message);
}
// OSC: listening on a free port of this machine, a handler, a message sent, closed again.
const oscPort = session.osc.listen(0, {bind: "127.0.0.1"});
session.osc.on("/pad/*", (value, word) => print(value, word));
session.osc.send("127.0.0.1", oscPort, "/pad/1", 3, "x");
const oscFacts = [oscPort > 0, session.osc.address === "127.0.0.1:" + session.osc.port, session.osc.token === null,
  session.osc.clients.length, session.osc.refused, session.osc.handled.join(","), session.osc.off("/pad/*"),
  typeof session.osc.received === "number", session.osc.malformed, session.osc.dropped];
session.osc.close();
// MIDI: an input and an output, a mapping soft takeover holds, a handler, messages in and out, a learn waiting.
const midiIn = session.midi.input("pads");
session.midi.output("leds");
const mapping = session.midi.map({cc: 7, channel: 2}, kick, "fader",
  {range: [-60, 6], curve: "linear", takeover: true, feedback: "leds"});
session.midi.on("note", (e) => print(e.type, e.number));
session.midi.receive("pads", [0xB1, 7, 0]);
session.midi.send("leds", [0x90, 60, 127]);
session.midi.learn(kick, "pan", {takeover: false});
const midiFacts = [midiIn, session.midi.inputs.join(","), session.midi.outputs.join(","),
  session.midi.available.senders.length + session.midi.available.receivers.length, mapping.control, mapping.target,
  mapping.range.join(".."), mapping.takeover, session.midi.mappings.length, session.midi.learning,
  session.midi.off("note"), typeof session.midi.received === "number", session.midi.dropped,
  session.midi.unmap(mapping)];
facts.concat(portFacts, timeFacts, recordFacts, insertFacts, saveFacts, undoFacts, sceneFacts, oscFacts, midiFacts)
  .join(" | ");

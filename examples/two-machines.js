// A set spread over two machines: the pads and their reverb run on a second machine ("stage2") when it is
// there, everything else here; without it, all of it runs here. The script does not change when a track
// moves: only where it goes ("on") does.
// The second machine: a JACK server on netjack2's driver joined to this one's, and Desk's engine on it:
//   here:      jack_load netmanager
//   stage2:    jackd -d net -n stage2 -C 3 -P 3 -l 2 &   desk engine --listen 0.0.0.0:7770
// Run it:  ./desk run examples/two-machines.js --seconds 10   (with the engine's token and fingerprint below)
//          ./desk run examples/two-machines.js --offline --seconds 4 --out set.wav   (all here)
// desk example: --seconds 4

let stage2 = null;
try {
  stage2 = session.node("stage2", {engine: "stage2.local:7770", token: "the token the engine printed",
    fingerprint: "the fingerprint the engine printed"});
} catch (e) {
  print("all tracks here: " + e.message);
}
const on = stage2 ? "stage2" : null;

// Here: the drums and the bass, on the machine with the interface.
const drums = session.bus("Drums");
const kick = session.track("Kick");
kick.input = session.generator("impulse", {level: -6, every: 0.5});
kick.output = drums;
const bass = session.track("Bass");
bass.input = session.generator("sine", {freq: 55, level: -14});

// There (or here): two pad voices on a bus of their own, with a long reverb.
const pads = session.bus("Pads", {on});
const verb = session.bus("PadVerb", {kind: "aux", on});
verb.insert("reverb", {size: 90, mix: 100});
for (const [name, freq, pan] of [["PadLow", 220, -0.4], ["PadHigh", 330, 0.4]]) {
  const pad = session.track(name, {on});
  pad.input = session.generator("sine", {freq, level: -20});
  pad.pan = pan;
  pad.output = pads;
  pad.send(verb, {level: -8});
}

session.play();
after(3, () => {
  const where = stage2 ? "on " + stage2.name + ", " + stage2.latency + " samples late" : "here";
  print("pads " + where + ": master peak " + session.master.meter.peakMax.toFixed(1) + " dBFS");
  expect(session.master.meter.peakMax, "the set plays").toBeAbove(-40);
});

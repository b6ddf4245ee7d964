// A band tracking-and-mixing template: drums, bass, guitar and vocals, a drum group bus and a reverb return.
// Gain staging follows the usual targets: tracks recorded to peak around -18..-12 dBFS (trim does that, per
// input), faders below 0 dB so the mix keeps headroom, the master left at 0 dB to peak around -6..-3 dBFS.
// Run it:  ./desk run examples/session-template.js            (live, on the built-in backend)
//          ./desk run examples/session-template.js --offline --seconds 2 --out mix.wav

const drums = session.bus("Drums", {kind: "group"});
const reverb = session.bus("Reverb", {kind: "aux"});

const layout = [
  // name,       channels, inputs,                                   trim, fader, pan,   reverb send
  ["Kick",       1, "system:capture_1",                              0,    -4,    0,     null],
  ["Snare",      1, "system:capture_2",                              2,    -5,    0,     -18],
  ["Overheads",  2, ["system:capture_3", "system:capture_4"],        0,    -8,    0,     -20],
  ["Bass",       1, "system:capture_5",                              3,    -4,    0,     null],
  ["Guitar",     1, "system:capture_6",                              0,    -7,    0.35,  -16],
  ["Vocal",      1, "system:capture_7",                              4,    -3,    0,     -12],
];

for (const [name, channels, inputs, trim, fader, position, reverbSend] of layout) {
  const track = session.track(name, {channels: channels});
  track.input = inputs;
  track.trim = trim;
  track.fader = fader;
  if (channels === 1) {
    track.pan = position;
  } else {
    track.balance = position;
  }
  if (["Kick", "Snare", "Overheads"].includes(name)) {
    track.output = drums;
  }
  if (reverbSend !== null) {
    track.send(reverb, {level: reverbSend, pre: false});
  }
}

drums.fader = -2;
reverb.fader = -8;
reverb.soloSafe = true;
session.master.fader = 0;

// Check what was built: a template that half-applied would be worse than none.
function check(condition, what) {
  if (!condition) {
    throw new Error("template check failed: " + what);
  }
}
check(session.tracks.length === 6, "six tracks");
check(session.tracks.every(t => t.fader < 0), "every track fader below 0 dB, for headroom");
check(session.tracks.filter(t => t.output === drums).length === 3, "kick, snare and overheads feed the drum bus");
check(session.tracks.filter(t => t.sends.some(s => s.bus === reverb)).length === 4, "four sends to the reverb");
check(session.find("Overheads").input.length === 2, "overheads take two inputs");
check(reverb.soloSafe, "the reverb return is solo-safe");

for (const strip of [...session.tracks, ...session.buses, session.master]) {
  print(String(strip));
}

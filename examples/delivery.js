// Delivery: what leaves the studio at the end of a mix. Stems for the mix engineer, then the master three
// ways: FLAC at streaming loudness (-14 LUFS), a Broadcast Wave file at broadcast loudness (EBU R 128,
// -23 LUFS) with its description and loudness in the bext chunk, and a CD master (44.1 kHz, 16 bits with
// shaped dither). Each master is measured, brought to its target by a gain, held under -1 dBTP by the true-peak
// limiter, and reported; the streaming master's loudness is drawn over time. Test tones and noise stand in for
// the band, so it runs anywhere.
// Run it:  ./desk run examples/delivery.js --offline --session songs/demo      (files in songs/demo/delivery/)
// Or for any script:  ./desk run song.js --offline --seconds 30 --out master.flac --loudness -14 --report loudness.png
// desk example: --seconds 1

const SECONDS = 8;
session.tempo = 120;
const drums = session.bus("Drums");
const verb = session.bus("Verb", {kind: "aux"});
verb.insert("reverb", {decay: 1.6, mix: 100});
drums.insert("compressor", {threshold: -20, ratio: 4});

function track(name, source, fader, pan, output) {
  const t = session.track(name);
  t.input = source;
  t.fader = fader;
  t.pan = pan;
  t.output = output;
  return t;
}
const kick = track("Kick", session.generator("impulse", {level: -6, every: 0.5}), -4, 0, drums);
const hats = track("Hats", session.generator("noise", {level: -30, seed: 7}), -8, 0.4, drums);
const bass = track("Bass", session.generator("sine", {freq: 55, level: -18}), -6, 0, session.master);
const keys = track("Keys", session.generator("square", {freq: 220, level: -30}), -10, -0.3, session.master);
keys.send(verb, {level: -8});
hats.send(verb, {level: -14, pre: true});

// Stems first, then each master from the top of the song.
session.play();
const stems = session.exportStems("delivery/stems", {seconds: SECONDS});
session.locate(0);
const streaming = session.render("delivery/master.flac", {seconds: SECONDS, loudness: -14, truePeak: -1});
session.locate(0);
const broadcast = session.render("delivery/master-broadcast.wav", {seconds: SECONDS, format: "bwf",
  loudness: -23, truePeak: -1, description: "Demo song, broadcast master"});
session.locate(0);
const cd = session.render("delivery/master-cd.wav", {seconds: SECONDS, rate: 44100, bits: 16, dither: "shaped",
  loudness: -14, truePeak: -1});
const plot = streaming.plot("delivery/loudness.png");

for (const report of [streaming, broadcast, cd]) {
  print(report);
}
print(stems.length + " stems in " + stems[0].replace(/master\.wav$/, "") + "; the loudness drawn in " + plot);
expect(stems.length, "the master and a stem for each of 4 tracks and 2 buses").toBe(7);
expect(streaming.integrated, "the streaming master's loudness, LUFS").toBeCloseTo(-14, 0.1);
expect(broadcast.integrated, "the broadcast master's loudness, LUFS").toBeCloseTo(-23, 0.1);
expect(cd.integrated, "the CD master's loudness, LUFS").toBeCloseTo(-14, 0.1);
for (const report of [streaming, broadcast, cd]) {
  expect(report.truePeak, report.format + " master's true peak, dBTP").toBeBelow(-1);
}
expect(cd.rate, "the CD master's sample rate").toBe(44100);

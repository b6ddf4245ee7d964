// Stems for the mix engineer: a small band through a drum bus with a limiter (which delays it) and a reverb
// return, rendered offline to one file per track and bus plus the master. Every file has the same length and
// starts on the same sample, lined up behind the limiter, so the stems laid side by side in any DAW play
// back the mix. Test tones and noise stand in for the band, so it runs anywhere.
// Run it:  ./desk run examples/stems.js --offline --session songs/demo      (stems in songs/demo/stems/)
// Or let Desk do it for any script:  ./desk run song.js --offline --seconds 30 --stems stems/
// desk example: --seconds 1

session.tempo = 120;
const drums = session.bus("Drums");
const verb = session.bus("Verb", {kind: "aux"});
verb.insert("reverb", {decay: 1.6, mix: 100});
drums.insert("limiter", {ceiling: -6});

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

session.play();
const files = session.exportStems("stems", {seconds: 4});
for (const file of files) {
  print(file);
}
expect(files.length, "the master and a stem for each of 4 tracks and 2 buses").toBe(7);
expect(session.latency.inserts, "the limiter delays the mix, and the stems with it").toBeAbove(0);

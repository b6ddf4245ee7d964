// Desk's JavaScript globals besides `session`: the scheduling functions and `expect`, which names each
// check after the script line that made it unless given a name.
(function (session) {
  function where() {
    const lines = String(new Error().stack).split("\n");
    for (let i = 1; i < lines.length; i++) {
      const found = /([^\s()]+?):(\d+)(?::\d+)?\)?\s*$/.exec(lines[i]);
      if (found && !found[1].startsWith("<desk")) {
        return found[1] + ":" + found[2];
      }
    }
    return null;
  }
  globalThis.at = (time, fn) => session.at(time, fn);
  globalThis.after = (duration, fn) => session.after(duration, fn);
  globalThis.every = (interval, fn) => session.every(interval, fn);
  globalThis.expect = (value, name) => session.expect(value, name === undefined ? where() : name);
})

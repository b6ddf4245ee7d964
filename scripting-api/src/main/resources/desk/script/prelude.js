// Desk's JavaScript globals besides `session`: the scheduling functions and `expect`, which names each
// check after the script line that made it unless given a name.
(function (session) {
  // Plain string code, no regular expression: the first one a context runs costs about 100 ms, which a
  // check inside a scheduled function would spend out of its callback budget.
  function digits(text) {
    if (text.length === 0) {
      return false;
    }
    for (const c of text) {
      if (c < "0" || c > "9") {
        return false;
      }
    }
    return true;
  }
  function where() {
    const lines = String(new Error().stack).split("\n");
    for (let i = 1; i < lines.length; i++) {
      let place = lines[i].trim();
      place = place.endsWith(")") ? place.slice(place.lastIndexOf("(") + 1, -1) : place.slice(place.lastIndexOf(" ") + 1);
      const parts = place.split(":");
      let end = parts.length;
      if (end >= 3 && digits(parts[end - 1]) && digits(parts[end - 2])) {
        end--;
      }
      if (end >= 2 && digits(parts[end - 1])) {
        const file = parts.slice(0, end - 1).join(":");
        if (file.length > 0 && !file.startsWith("<desk")) {
          return file + ":" + parts[end - 1];
        }
      }
    }
    return null;
  }
  globalThis.at = (time, fn) => session.at(time, fn);
  globalThis.after = (duration, fn) => session.after(duration, fn);
  globalThis.every = (interval, fn) => session.every(interval, fn);
  globalThis.expect = (value, name) => session.expect(value, name === undefined ? where() : name);
})

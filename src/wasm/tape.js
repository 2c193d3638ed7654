// The other half of src/wasm/tape.rs: one part of the wasm `audit`'s visits,
// from its tape of words back to the values JSON.parse would give for their
// JSON. A string still in its slot of the cache `table` is taken from there,
// so every visit shares one copy of each title, help text and sentence.
//   words  Uint32Array: payload << 4 | tag
//   floats Float64Array: the numbers that are not small whole ones
//   text   the part's strings, one after another; lens their UTF-16 lengths
//   table  the audit's string cache, one entry per slot (tape.rs's TABLE)
export function tape_values(words, floats, text, lens, table) {
  let pos = 0;
  let next = 0;
  let at = 0;
  const take = () => {
    const end = at + lens[next++];
    const s = text.slice(at, end);
    at = end;
    return s;
  };
  const value = () => {
    const w = words[pos++];
    const p = w >>> 4;
    switch (w & 15) {
      case 0:
        return null;
      case 1:
        return false;
      case 2:
        return true;
      case 3:
        return p;
      case 4:
        return floats[p];
      case 5:
        return table[p];
      case 9:
        return (table[p] = take());
      case 6:
        return take();
      case 7: {
        // Its exact length at once, as JSON.parse makes it (a list grown by push
        // reserves room to spare, which the collector then copies).
        const list = new Array(p);
        for (let i = 0; i < p; i++) list[i] = value();
        return list;
      }
      case 8: {
        const o = {};
        for (let i = 0; i < p; i++) {
          const key = value();
          // An own key, as JSON.parse makes it (an assignment would set the prototype).
          if (key === "__proto__") Object.defineProperty(o, key, { value: value(), writable: true, enumerable: true, configurable: true });
          else o[key] = value();
        }
        return o;
      }
      default:
        throw new Error(`internal error: tape word ${w} at ${pos - 1}`);
    }
  };
  const out = value();
  if (pos !== words.length || next !== lens.length) throw new Error("internal error: the tape was not read to its end");
  return out;
}

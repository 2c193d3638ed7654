// Practice writes the exercise's fragment (#e=…, #x=…, #make) through the
// browser's own method: boot.js drops other scripts' history.replaceState calls
// in practice, so the address keeps the exercise on reload.
const original = History.prototype.replaceState;

/** Sets the fragment without a history entry or a request. */
export function setFragment(hash) {
  original.call(history, null, "", `${location.pathname}${location.search}${hash}`);
}

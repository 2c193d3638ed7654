// The address bar in teaching mode belongs to the exercise (#e=…, #x=…, #make).
// The calculator's script, which also runs on this page, keeps its own visit
// in the address; in practice those writes are dropped, so a reload or a shared
// address keeps the exercise. Practice writes through the original method.
const original = History.prototype.replaceState;

/** Drops every other script's history.replaceState (an own property shadows the prototype's). */
export function keepAddress() {
  history.replaceState = () => {};
}

/** Sets the fragment without a history entry or a request. */
export function setFragment(hash) {
  original.call(history, null, "", `${location.pathname}${location.search}${hash}`);
}

// A visit in a link: base64url JSON after "#v=", which browsers never send to a server.
export function encodeVisit(visit) {
  const bytes = new TextEncoder().encode(JSON.stringify(visit));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeVisit(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

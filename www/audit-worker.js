// Runs the audit off the page's main thread, so the page stays responsive; posts
// progress as it goes. The file's text never leaves this browser. It loads the
// speed-optimised build (www/pkg-audit), which the calculator page never needs.
import init, { audit_compact } from "./pkg-audit/ptbill.js";

const ready = init();
self.onmessage = async ({ data }) => {
  await ready;
  try {
    const result = audit_compact(data, 500, (done, total) => {
      self.postMessage({ type: "progress", done, total });
      return true;
    });
    self.postMessage({ type: "done", result });
  } catch (e) {
    self.postMessage({ type: "error", message: e.message });
  }
};

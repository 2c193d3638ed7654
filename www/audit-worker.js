// Runs the audit off the page's main thread, so the page stays responsive; posts
// progress as it goes. The file's text never leaves this browser.
import init, { audit_compact } from "./pkg/ptbill.js";

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

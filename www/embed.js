// Embedding: a page inside a frame tells its host how tall it is, so the host
// can size the <iframe> to show the whole result without a scroll bar.
// Protocol (README "Embedding"): window.parent receives
//   {type: "ptbill:resize", height: <px>}
// whenever the document's height changes. The message carries a number only,
// never anything about the visit, so it is posted to any origin ("*").

/** Starts the reports (once); does nothing outside a frame. Returns a stop function. */
export function startResizeReports() {
  if (window.parent === window) return () => {};
  let last = -1;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "ptbill:resize", height }, "*");
  };
  const observer = new ResizeObserver(report);
  observer.observe(document.documentElement);
  report();
  return () => observer.disconnect();
}

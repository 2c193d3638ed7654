// The calculator's "Make an exercise from this visit": opens the exercise
// editor in a new tab with the visit loaded (the visit travels in the link's
// fragment only). Added by boot.js, so the calculator's own modules stay as they are.
import { editorLink } from "./link.js";

export async function addExerciseButton() {
  const after = document.getElementById("embed-status") ?? document.getElementById("copy-embed");
  if (!after) return;
  const p = document.createElement("p");
  p.innerHTML = '<button type="button" id="make-exercise">Make an exercise from this visit</button> <span id="make-exercise-status" class="status-text" role="status"></span>';
  after.after(p);
  const form = await import("../form.js");
  document.getElementById("make-exercise").addEventListener("click", () => {
    const status = document.getElementById("make-exercise-status");
    if (form.problems().length || form.filledRows().length === 0) {
      status.textContent = "Complete the visit first: the exercise is made from a visit the calculator can check.";
      return;
    }
    status.textContent = "";
    window.open(editorLink(form.readVisit()), "_blank", "noopener");
  });
}

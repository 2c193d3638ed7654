// The activity helper's table: what was done → the code most guidance points to.
// "rule" = the code's own definition (CPT descriptor, or a CMS definition) names
// the activity; "opinion" = common practice in billing guidance, not a rule.
// Source notes: billing-rules.md §3, §5, §14. Wording is ptbill's own.
export const ACTIVITIES = [
  {
    id: "pne",
    name: "Pain neuroscience education on its own",
    code: "97112",
    basis: "opinion",
    why: "No CMS or AMA source names a code for pain education. Common practice bills it as neuromuscular re-education when it stands alone as a session's intervention; some payers limit 97112 to neuromuscular problems, so document the impairment it treats.",
  },
  {
    id: "pne-woven",
    name: "Education woven into gait training or exercise",
    code: null,
    basis: "opinion",
    why: "Bill the primary intervention (97116 gait training, or 97110 exercise) for those minutes. Never bill education and the primary code for the same minutes.",
  },
  {
    id: "lifting",
    name: "Graded exposure to lifting",
    code: "97530",
    basis: "opinion",
    why: "Dynamic functional activity aimed at a task (lifting) is what most guidance calls therapeutic activities.",
  },
  {
    id: "walking",
    name: "Walking programme for endurance",
    code: "97110",
    basis: "opinion",
    why: "Exercise for endurance is therapeutic exercise; when the session trains the walking pattern itself (stance, swing, assistive device), 97116 gait training fits better.",
  },
  {
    id: "mobilisation",
    name: "Joint or soft-tissue mobilisation",
    code: "97140",
    basis: "rule",
    why: "Manual therapy's definition covers mobilisation and manipulation of joints and soft tissue (and manual lymphatic drainage and traction).",
  },
  {
    id: "balance",
    name: "Balance and coordination work",
    code: "97112",
    basis: "rule",
    why: "Neuromuscular re-education's definition names balance, coordination, posture and proprioception.",
  },
  {
    id: "transfers",
    name: "Sit-to-stand and transfer training",
    code: "97530",
    basis: "opinion",
    why: "Most guidance treats functional transfers as dynamic therapeutic activities; document the functional goal.",
  },
  {
    id: "selfcare",
    name: "Self-care training (dressing, bathing, home tasks)",
    code: "97535",
    basis: "rule",
    why: "Self-care and home management training is defined by activities of daily living and home tasks.",
  },
  {
    id: "group",
    name: "Group class (two or more patients at once)",
    code: "97150",
    basis: "rule",
    why: "Medicare defines group therapy as treating two or more patients at the same time, with or without the same activity; only 97150 is billed, one unit per patient.",
  },
];

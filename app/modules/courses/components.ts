/** MDX components a lesson may use; anything else fails the content build. */
export const LESSON_COMPONENTS = [
  "Regulation",
  "KeyPoint",
  "Warning",
  "Prohibited",
  "Steps",
  "Step",
  "Checklist",
  "Figure",
  "SelfCheck",
] as const;

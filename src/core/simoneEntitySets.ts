/** The Simone project data a sync can read as a source (CONFIG.md, "Simone project data and events"). */
export const SIMONE_ENTITY_SETS = ['milestones', 'sprints', 'tasks'] as const;
export type SimoneEntitySet = (typeof SIMONE_ENTITY_SETS)[number];

export const SIMONE_EVENTS = ['milestone_created', 'milestone_completed', 'sprint_started', 'sprint_finished', 'task_created', 'task_completed'] as const;
export type SimoneEventName = (typeof SIMONE_EVENTS)[number];

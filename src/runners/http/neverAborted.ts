/** The signal a policy hands on when its caller gave none (cockatiel's own policies do the same). */
export const neverAborted: AbortSignal = new AbortController().signal;

/** `n thing(s)`: the counts people read, e.g. `1 alert`, `0 alerts`. */
export const counted = (n: number, thing: string): string => `${n} ${thing}${n === 1 ? '' : 's'}`;

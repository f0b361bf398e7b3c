// placeholder

import type { CommandSpec } from './types.js';

export const bitmapCommands: CommandSpec[] = [];

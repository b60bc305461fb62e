import { cloudflare } from './cloudflare.ts';
import { fly } from './fly.ts';
import { heroku } from './heroku.ts';
import type { Recogniser } from './types.ts';

/** The built-in recognisers, one per catalog platform. A new platform adds its module here. */
export const recognisers: readonly Recogniser[] = [heroku, fly, cloudflare];

import { z } from 'zod';
import { method } from './define';

/** API methods of the reports feature. */
export const reportsContract = {} as const;

// Keeps the imports used until the first method lands.
void z;
void method;

import { z } from 'zod';
import { method } from './define';

/** API methods of the applicants feature. */
export const applicantsContract = {} as const;

// Keeps the imports used until the first method lands.
void z;
void method;

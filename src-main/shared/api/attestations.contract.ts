import { z } from 'zod';
import { method } from './define';

/** API methods of the attestations feature. */
export const attestationsContract = {} as const;

// Keeps the imports used until the first method lands.
void z;
void method;

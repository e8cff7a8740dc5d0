import type { RealMedusa } from './start-real-medusa';

/**
 * How npm run test:medusa hands the real Medusa it started to the jest run: it writes the
 * coordinates to a JSON file and names that file in this environment variable.
 */
export const COORDINATES_ENV = 'MEDUSA_REAL_COORDINATES';

/** The coordinates the runner writes for the jest run (the stop function stays with the runner). */
export type RealMedusaCoordinates = Omit<RealMedusa, 'stop'>;

/**
 * Imports every feature's seeder module for its side effect (each pushes onto `seeders`).
 * Order matters: applicants before sessions, sessions before attestations.
 */
import './seed-applicants';
import './seed-sessions';
import './seed-attestations';

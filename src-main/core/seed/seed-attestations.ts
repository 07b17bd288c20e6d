// Seeder of the attestations feature: push onto `seeders` from './seed'.
export {};

// Seeder of the sessions feature: push onto `seeders` from './seed'.
export {};

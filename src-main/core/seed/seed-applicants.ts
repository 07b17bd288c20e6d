// Seeder of the applicants feature: push onto `seeders` from './seed'.
export {};

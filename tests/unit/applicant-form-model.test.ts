import { describe, expect, it } from 'vitest';
import type { ApplicantFile } from '../../src-main/shared/api/applicants.contract';
import { changedFields, changesFrom, EMPTY_FORM, FIELD_NAMES, fromFile, toInput } from '../../src-renderer/features/applicants/form/model';

/**
 * The registration form's model is derived from the applicant's zod schema (issue 18). These are the values the
 * form spelled out by hand before: the derivation must give exactly them.
 */
const HAND_WRITTEN_EMPTY = {
  cin: '', idcs: '', firstNameAr: '', lastNameAr: '', firstNameLat: '', lastNameLat: '', sex: 'F', birthDate: '', phone: '', phoneOwner: '',
  address: '', douar: '', communeCode: '', educationLevel: '', vocationalLevel: '', maritalStatus: '', isProjectHolder: false,
  isDifficultSituation: false, situations: [], hasDisability: false, disabilityTypes: [], disabilitySeverity: '', disabilityCardNumber: '',
  disabilityCardExpiry: '', rsuRegistered: false, rsuIndex: '', projectSector: '', projectDescription: '', projectStage: '', projectLegalForm: '',
  heardFrom: '',
};

const ref = (code: string) => ({ code, labelAr: 'ع', labelFr: 'f' });
const file = {
  id: 'a1', cin: 'AB123456', idcs: null, firstNameAr: 'فاطمة', lastNameAr: 'الزهراء', firstNameLat: 'Fatima', lastNameLat: 'Zahra', sex: 'F',
  birthDate: '1990-03-05', phone: '+212600000000', phoneOwner: 'self', address: 'Rue 1', douar: '', commune: { code: '08.071.01.01', nameAr: 'ر', nameFr: 'R', type: 'urbaine', provinceCode: '08.071' },
  educationLevel: ref('bac'), vocationalLevel: null, maritalStatus: ref('single'), isProjectHolder: true, isDifficultSituation: true,
  situations: [ref('widow')], hasDisability: true, disabilityTypes: [ref('motor')], disabilitySeverity: 'light', disabilityCardNumber: 'C1',
  disabilityCardExpiry: '2030-12-31', rsuRegistered: true, rsuIndex: 9.5, projectSector: ref('agri'), projectDescription: 'Olive oil',
  projectStage: null, projectLegalForm: null, heardFrom: ref('radio'), hiddenFields: [], version: 3,
} as unknown as ApplicantFile;

describe('applicant form model (derived from ApplicantFieldsSchema)', () => {
  it('has the fields and empty values the form used to declare', () => {
    expect(FIELD_NAMES).toEqual(Object.keys(HAND_WRITTEN_EMPTY));
    expect(EMPTY_FORM).toEqual(HAND_WRITTEN_EMPTY);
  });

  it('reads a file as the form holds it (codes, YYYY-MM-DD dates for the date field, numbers as text)', () => {
    const f = fromFile(file);
    expect(f).toMatchObject({ cin: 'AB123456', idcs: '', birthDate: '1990-03-05', communeCode: '08.071.01.01', educationLevel: 'bac', vocationalLevel: '',
      situations: ['widow'], disabilityTypes: ['motor'], disabilityCardExpiry: '2030-12-31', rsuIndex: '9.5', heardFrom: 'radio' });
    expect(fromFile({ ...file, hasDisability: null, disabilityTypes: null, rsuIndex: null } as ApplicantFile)).toMatchObject({ hasDisability: false, disabilityTypes: [], rsuIndex: '' });
  });

  it('gives the API empty optional fields as null and drops what a "no" makes meaningless', () => {
    expect(toInput(EMPTY_FORM)).toEqual({ ...HAND_WRITTEN_EMPTY, idcs: null, phone: null, phoneOwner: null, educationLevel: null, vocationalLevel: null,
      maritalStatus: null, disabilitySeverity: null, disabilityCardNumber: null, disabilityCardExpiry: null, rsuIndex: null, projectSector: null,
      projectStage: null, projectLegalForm: null, heardFrom: null });
    const f = { ...fromFile(file), isDifficultSituation: false, hasDisability: false };
    expect(toInput(f)).toMatchObject({ situations: [], disabilityTypes: [], disabilitySeverity: null, disabilityCardNumber: null, disabilityCardExpiry: null, rsuIndex: 9.5 });
  });

  it('sends only what changed, never a field hidden from the role', () => {
    const before = fromFile(file);
    const after = { ...before, address: 'Rue 2', disabilitySeverity: 'severe', rsuIndex: '10' };
    expect(changedFields(after, before)).toEqual(['address', 'disabilitySeverity', 'rsuIndex']);
    expect(changesFrom(after, before, new Set())).toEqual({ address: 'Rue 2', disabilitySeverity: 'severe', rsuIndex: 10 });
    expect(changesFrom(after, before, new Set(['hasDisability', 'rsuIndex']))).toEqual({ address: 'Rue 2' });
  });
});

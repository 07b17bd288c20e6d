import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { errorText } from '../lib/errors';

/** A PDF the app made: its id in the outbox and its file name (for saving). */
export interface PdfFile {
  id: string;
  name: string;
}

type Size = 'compact-xs' | 'xs' | 'sm';

/**
 * Prints a PDF the app made (issue 15: a print button beside every PDF): the window opens Electron's print dialog
 * on it, the web bridge the browser's (the PDF in a hidden frame of the page, `print()` on it; api.printFile).
 */
export function PrintButton({ fileId, onError, size = 'xs', testId = 'pdf-print' }: { fileId: string; onError?: (text: string) => void; size?: Size; testId?: string }) {
  const { t } = useTranslation('common');
  return (
    <Button size={size} variant="filled" onClick={() => void api.printFile(fileId).catch((e) => onError?.(errorText(e)))} data-testid={testId}>
      {t('pdf.print')}
    </Button>
  );
}

/**
 * What staff do with a PDF the app just made, side by side: open it again, print it, save it. Shown under the
 * button that made it (attestations, attendance sheets, the access request, the recovery sheet, the CNDP description).
 */
export function PdfActions({ file, onError, size = 'xs', save = true, testId = 'pdf' }: { file: PdfFile; onError?: (text: string) => void; size?: Size; save?: boolean; testId?: string }) {
  const { t } = useTranslation('common');
  const fail = (e: unknown) => onError?.(errorText(e));
  return (
    <Group gap="xs" role="group" aria-label={t('pdf.label')} data-testid={`${testId}-actions`}>
      <PrintButton fileId={file.id} onError={onError} size={size} testId={`${testId}-print`} />
      <Button size={size} variant="light" onClick={() => void api.openFile(file.id).catch(fail)} data-testid={`${testId}-open`}>
        {t('pdf.open')}
      </Button>
      {save && (
        <Button size={size} variant="default" onClick={() => void api.saveFile(file.id, file.name).then(() => undefined, fail)} data-testid={`${testId}-save`}>
          {t('pdf.save')}
        </Button>
      )}
    </Group>
  );
}

import { defineErrors } from './error-table';
/** Error messages of the jobs channel (progress and cancellation of long calls), Arabic then French. */
export const jobsErrorMessages = defineErrors({
  ar: {
    'jobs.not_found': 'هذه العملية غير موجودة أو انتهت منذ مدة. حدّث الصفحة لمعرفة النتيجة.',
    'jobs.not_owner': 'هذه العملية بدأها مستخدم آخر. لا يمكن متابعتها أو إلغاؤها إلا من طرفه أو من طرف المسؤول.',
    'jobs.duplicate': 'رقم العملية هذا مستعمل من قبل. أعد المحاولة.',
    'jobs.cancelled': 'تم إلغاء العملية. لم يتغير أي شيء.',
  },
  fr: {
    'jobs.not_found': "Cette opération n'existe pas ou est terminée depuis un moment. Actualisez la page pour voir le résultat.",
    'jobs.not_owner': "Cette opération a été lancée par un autre utilisateur : seul celui-ci ou l'administrateur peut la suivre ou l'annuler.",
    'jobs.duplicate': 'Ce numéro d’opération est déjà utilisé. Réessayez.',
    'jobs.cancelled': "Opération annulée. Rien n'a été modifié.",
  },
});

/**
 * The information text of law 09-08 (art. 5) shown before registration: controller, purposes, recipients,
 * compulsory and optional answers, rights of access, rectification and opposition. Its version is the setting
 * registry.consent_text_version; the version shown is recorded with the consent.
 */
import type { ConsentText } from '../../shared/api/applicants.contract';
import type { Office } from '../db/schema';

export function consentText(office: Office | null, version: string): ConsentText {
  const officeAr = office?.name_ar ?? 'المندوبية الإقليمية للتعاون الوطني';
  const officeFr = office?.name_fr ?? "Délégation de l'Entraide Nationale";
  return {
    version,
    ar: {
      title: 'إخبار الأشخاص المعنيين بمعالجة معطياتهم ذات الطابع الشخصي (القانون رقم 09-08)',
      sections: [
        {
          heading: 'المسؤول عن المعالجة',
          body: `${officeAr}، في إطار برنامج «جسر للتمكين والريادة» لوزارة التضامن والإدماج الاجتماعي والأسرة، بشراكة مع وكالة التنمية الاجتماعية.`,
        },
        {
          heading: 'الغايات',
          body: 'تسجيل طلبات الاستفادة من البرنامج، دراسة الأهلية والانتقاء، تتبع مسار المستفيدة (التوجيه، التكوين، الاحتضان، التمويل، التتبع)، إصدار الشهادات، وإعداد إحصائيات مجهولة الهوية.',
        },
        {
          heading: 'المرسل إليهم',
          body: 'المصالح المختصة بالمندوبية الإقليمية والتنسيقية الجهوية، وكالة التنمية الاجتماعية، الجمعيات الحاضنة الشريكة في حدود ما تحتاجه لمواكبتك، ولجان الانتقاء والتمويل. لا تنقل معطياتك إلى خارج المغرب.',
        },
        {
          heading: 'الأجوبة الإجبارية والاختيارية',
          body: 'إجبارية: رقم البطاقة الوطنية، الاسم الشخصي والعائلي، الجنس، تاريخ الازدياد، الجماعة. اختيارية: الهاتف، العنوان، المستوى الدراسي، الوضعية الاجتماعية، معطيات الإعاقة، السجل الاجتماعي الموحد، فكرة المشروع. رفض الإجابة عن سؤال اختياري لا يؤثر على طلبك؛ غياب الأجوبة الإجبارية يمنع التسجيل.',
        },
        {
          heading: 'المعطيات الحساسة',
          body: 'معطيات الإعاقة والوضعيات الصعبة (مثل العنف) معطيات حساسة: لا يطلع عليها إلا الموظفون الذين يحتاجونها، ولا تستعمل إلا لغايات البرنامج.',
        },
        {
          heading: 'حقوقك',
          body: `لك الحق في الولوج إلى معطياتك وتصحيحها والتعرض لمعالجتها لأسباب مشروعة، بطلب لدى ${officeAr}. يمكنك أيضا تقديم شكاية إلى اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي (CNDP).`,
        },
        { heading: 'مدة الحفظ', body: 'تحفظ المعطيات طيلة مدة البرنامج وتتبع المشاريع، ثم تحذف أو تجعل مجهولة الهوية.' },
      ],
    },
    fr: {
      title: 'Information des personnes concernées sur le traitement de leurs données personnelles (loi n° 09-08)',
      sections: [
        {
          heading: 'Responsable du traitement',
          body: `${officeFr}, dans le cadre du programme « Jisr pour l'autonomisation et le leadership » du Ministère de la Solidarité, de l'Insertion Sociale et de la Famille, en partenariat avec l'Agence de Développement Social.`,
        },
        {
          heading: 'Finalités',
          body: "Enregistrer les demandes de participation au programme, étudier l'éligibilité et la sélection, suivre le parcours de la bénéficiaire (orientation, formation, incubation, financement, suivi), délivrer les attestations et produire des statistiques anonymes.",
        },
        {
          heading: 'Destinataires',
          body: "Les services compétents de la délégation provinciale et de la coordination régionale, l'Agence de Développement Social, les associations incubatrices partenaires dans la limite de ce qu'exige votre accompagnement, et les comités de sélection et de financement. Vos données ne sont pas transférées hors du Maroc.",
        },
        {
          heading: 'Réponses obligatoires et facultatives',
          body: "Obligatoires : numéro de CIN, prénom et nom, sexe, date de naissance, commune. Facultatives : téléphone, adresse, niveau d'études, situation sociale, handicap, RSU, idée de projet. Refuser de répondre à une question facultative est sans effet sur votre demande ; sans les réponses obligatoires, l'inscription n'est pas possible.",
        },
        {
          heading: 'Données sensibles',
          body: "Les données sur le handicap et les situations difficiles (par exemple la violence subie) sont sensibles : seuls les agents qui en ont besoin y accèdent, et elles ne servent qu'aux fins du programme.",
        },
        {
          heading: 'Vos droits',
          body: `Vous disposez d'un droit d'accès, de rectification et d'opposition pour motifs légitimes, à exercer auprès de : ${officeFr}. Vous pouvez aussi saisir la Commission Nationale de contrôle de la protection des Données à caractère Personnel (CNDP).`,
        },
        {
          heading: 'Durée de conservation',
          body: 'Les données sont conservées pendant la durée du programme et du suivi des projets, puis supprimées ou anonymisées.',
        },
      ],
    },
  };
}

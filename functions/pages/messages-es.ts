import type { Messages } from './messages-en.ts';

/**
 * Everything a patient reads, in Spanish (usted, neutral Latin American Spanish as US clinics use it).
 * The same keys as `messages-en.ts`; a missing one does not compile.
 *
 * `instruments` is empty on purpose. The questionnaires (GAD-7, PHQ-9, C-SSRS, AUDIT-C, DAST-10) are
 * validated instruments: their scores mean something only in their official translations, which come
 * with their own licences (PHQ-9 and GAD-7 from Pfizer's PHQ site, the C-SSRS from the Columbia Lighthouse
 * Project, AUDIT-C from the WHO, DAST-10 from its copyright holder). We must not write our own. Until the
 * clinic adds the licensed official Spanish text here (`instruments.gad7 = { instruction, items,
 * options }`, and so on), a Spanish patient reads these items in English, marked `lang="en"`, under a
 * Spanish note that says so; everything around them is Spanish.
 */
export const es: Messages = {
  htmlLang: 'es',
  dateLocale: 'es-US',

  titles: {
    intake: 'Sus cuestionarios de admisión',
    'check-in': 'Registro antes de su sesión',
    preparation: 'Cómo prepararse para su sesión',
    consult: 'Su cita por video',
    journal: 'Su diario de la sesión',
    assessment: 'Una breve revisión de cómo se encuentra',
    'refill-request': 'Su revisión mensual',
    recovery: '¿Cómo se siente ahora?',
  },

  form: {
    yes: 'Sí',
    no: 'No',
    choose: 'Elija…',
    atMostCharacters: (limit) => `Como máximo ${limit} caracteres.`,
    problemHeading: 'Hay un problema',
    chooseOne: 'elija una respuesta',
    numberFromTo: (min, max) => `escriba un número del ${min} al ${max}`,
    numberAtLeast: (min) => `escriba un número igual o mayor que ${min}`,
    number: 'escriba un número',
    date: 'escriba una fecha',
    dateTime: 'escriba una fecha y una hora',
    text: 'escriba una respuesta',
    tooLong: (limit, length) =>
      `acorte este texto a ${limit} caracteres como máximo${length === undefined ? '' : ` (tiene ${length})`}. No se guardó nada, y su texto se conserva abajo`,
    checkThisAnswer: 'revise esta respuesta',
    unreadable: 'No se pudo leer una de las respuestas. Revise el formulario y envíelo de nuevo.',
    formNotAccepted:
      'No se pudo aceptar este formulario y no se registró nada. Si vuelve a pasar, comuníquese con su clínica.',
    tickAll: 'Marque todas las que correspondan; déjelo en blanco si ninguna.',
    anyOfTheseNow: '¿Tiene alguno de estos síntomas ahora mismo?',
    closePage: 'Puede cerrar esta página.',
    infoOnly: 'Esta página es solo informativa; no hay nada que enviar.',
  },

  rules: {
    sessionNotPlanned: 'esta sesión no está programada; comuníquese con su clínica',
    journalForNoSession: 'este diario no corresponde a ninguna sesión conocida',
    sideEffectsNoButMarked:
      'respondió que No, pero hay efectos secundarios marcados en la lista. Elija Sí para enviarlos, o vuelva a ponerlos en Ninguno',
    sideEffectsYesButNone:
      'respondió que Sí: marque qué tan fuerte fue cada efecto secundario, o escriba sobre ello, o responda No',
  },

  questionnaires: {
    gad7Legend: 'Cómo se ha sentido (GAD-7)',
    gad7Name: 'Cuestionario de ansiedad',
    phq9Legend: 'Su estado de ánimo (PHQ-9)',
    phq9Name: 'Cuestionario del estado de ánimo',
    cssrsLegend: 'Pensamientos de hacerse daño (cuestionario C-SSRS)',
    cssrsName: 'Preguntas sobre hacerse daño',
    cssrsBehaviourLastOn: 'Si respondió que sí a la pregunta 6: ¿cuándo fue la última vez?',
    auditCLegend: 'Alcohol (AUDIT-C)',
    auditCName: 'Preguntas sobre el alcohol',
    dast10Legend: 'Consumo de drogas en los últimos 12 meses (DAST-10)',
    dast10Name: 'Preguntas sobre el consumo de drogas',
    originalLanguageNote:
      'Las preguntas de este cuestionario aparecen en inglés, su idioma original, hasta que la clínica tenga la traducción oficial al español. Si necesita ayuda para entenderlas, llame a la clínica.',
    question: (questionnaire, number, item) => `${questionnaire}, pregunta ${number} (${item})`,
    bladderLegend: 'Revisión de la vejiga (desde su última revisión)',
    bladder: {
      frequency: '¿Necesita orinar con más frecuencia de lo normal?',
      urgency: '¿Tiene ganas repentinas de orinar?',
      painOnUrination: '¿Le duele al orinar?',
      bloodInUrine: '¿Ha visto sangre en la orina?',
    },
  },

  // no official Spanish translation on file: see the comment above
  instruments: {},

  labels: {
    conditions: {
      'ketamine-hypersensitivity': 'Una alergia o una reacción grave a la ketamina',
      'psychotic-disorder': 'Un trastorno psicótico, como la esquizofrenia, ahora o en el pasado',
      'aneurysmal-vascular-disease-avm-or-intracerebral-haemorrhage':
        'Un aneurisma, una malformación arteriovenosa (MAV) o un sangrado en el cerebro',
      'unstable-cardiovascular-disease':
        'Una enfermedad del corazón o de los vasos sanguíneos que no está controlada (por ejemplo, dolor de pecho en reposo o un infarto reciente)',
      'raised-intracranial-or-intraocular-pressure':
        'Presión alta dentro de la cabeza o del ojo (por ejemplo, algunos tipos de glaucoma)',
      'severe-liver-disease': 'Una enfermedad grave del hígado, como la cirrosis',
      'current-substance-dependence': 'Dependencia del alcohol o de drogas en este momento',
      'past-ketamine-misuse': 'Haber usado ketamina de otra forma que la recetada, en cualquier momento',
      'opioid-use-disorder':
        'Trastorno por consumo de opioides (problemas con el uso de opioides), ahora o en el pasado',
      'controlled-cardiovascular-disease':
        'Una enfermedad del corazón o de los vasos sanguíneos controlada con tratamiento',
      seizures: 'Convulsiones o epilepsia',
      'untreated-thyroid-disease': 'Un problema de tiroides que no se está tratando',
      'urinary-symptoms': 'Problemas de la vejiga o urinarios (dolor, urgencia, orinar a menudo o sangre en la orina)',
      'family-history-of-psychosis':
        'Un padre, una madre, un hermano, una hermana o un hijo con un trastorno psicótico',
      'sleep-apnoea': 'Apnea del sueño (la respiración se detiene durante el sueño)',
      'significant-lung-disease': 'Una enfermedad importante de los pulmones, como EPOC o asma grave',
    },
    redFlags: {
      'chest-pain': 'Dolor de pecho',
      'breathing-difficulty': 'Falta de aire o dificultad para respirar',
      'back-pain': 'Dolor de espalda',
      'numbness-or-weakness': 'Entumecimiento o debilidad',
      'vision-change': 'Un cambio en la vista',
      'trouble-speaking': 'Dificultad para hablar',
      'severe-headache': 'Un dolor de cabeza fuerte',
    },
    priorTreatments: {
      medication: 'Medicamentos',
      psychotherapy: 'Terapia de conversación (psicoterapia)',
      neuromodulation: 'Estimulación cerebral (como EMT o TEC)',
      other: 'Otro tratamiento',
    },
    pregnancy: {
      yes: 'Sí',
      no: 'No',
      'cannot-become-pregnant': 'No puedo quedar embarazada',
    },
    sideEffects: {
      nausea: 'Náuseas',
      vomiting: 'Vómitos',
      dizziness: 'Mareo',
      headache: 'Dolor de cabeza',
      dissociation: 'Sentirse desconectado o irreal (disociación)',
      sedation: 'Somnolencia',
      confusion: 'Confusión',
      anxiety: 'Ansiedad',
      palpitations: 'Latidos del corazón rápidos o fuertes',
      'blurred-vision': 'Visión borrosa',
      'urinary-symptoms': 'Problemas de la vejiga o urinarios (orinar a menudo, urgencia, dolor)',
      'low-mood': 'Ánimo bajo',
      'suicidal-thoughts': 'Pensamientos de hacerse daño o de quitarse la vida',
      'chest-pain': 'Dolor de pecho',
      'breathing-difficulty': 'Falta de aire o dificultad para respirar',
      fainting: 'Desmayo',
      'blood-in-urine': 'Sangre en la orina',
      'severe-bladder-pain': 'Dolor fuerte en la vejiga',
      'hallucinations-beyond-session': 'Ver u oír cosas después de terminar la sesión',
      'signs-of-misuse': 'Tomar más de lo recetado, o tener ganas de hacerlo',
    },
    severities: { none: 'Ninguno', mild: 'Leve', moderate: 'Moderado', severe: 'Fuerte' },
  },

  intake: {
    intro: 'Responda todas las preguntas, por favor. Sus respuestas solo las recibe su equipo de atención.',
    historyLegend: 'Antecedentes médicos',
    conditionsQuestion: '¿Tiene o ha tenido alguno de estos problemas?',
    mania:
      '¿Ha tenido alguna vez un período de manía o hipomanía (días de energía o ánimo inusualmente altos, necesitar mucho menos sueño, pensamientos acelerados)?',
    maniaHint: 'No importa cuánto tiempo haya pasado.',
    priorName: (n) => `Tratamiento anterior ${n}: ¿cuál fue?`,
    priorKind: (n) => `Tratamiento anterior ${n}: tipo`,
    pregnancy: '¿Está embarazada, planea quedar embarazada o está amamantando?',
    medicationsLegend: 'Medicamentos actuales',
    medicationsHint:
      'Escriba cada nombre como aparece en la etiqueta (por ejemplo, "sertralina 50 mg"), incluso lo que toma solo de vez en cuando.',
    medicationName: (n) => `Medicamento ${n}: nombre`,
    weight: 'Su peso en kilogramos',
    weightHint: 'Su dosis depende de su peso. Las libras divididas entre 2.2 son kilogramos.',
    restingBp: 'Presión arterial en reposo (primero siéntese tranquilo durante 5 minutos)',
    submit: 'Enviar mis respuestas',
    thanks: 'Gracias. Sus respuestas se enviaron a su equipo de atención.',
  },

  bloodPressure: {
    upper: (n) => `Medición ${n}: número de arriba (sistólica, mmHg)`,
    lower: (n) => `Medición ${n}: número de abajo (diastólica, mmHg)`,
  },

  checkIn: {
    plannedFor: 'Su sesión está programada para el',
    preparationHeading: 'Sus indicaciones de preparación',
    monitor: '¿Está con usted un adulto que se quedará durante toda la sesión?',
    fasting: '¿Cuántas horas han pasado desde la última vez que comió?',
    alcohol: '¿Cuántas horas han pasado desde la última vez que tomó alcohol o consumió cannabis?',
    benzodiazepine:
      '¿Cuántas horas han pasado desde la última vez que tomó un sedante o una pastilla para dormir (benzodiazepina)?',
    noneInLastWeek: 'Déjelo en blanco si no ha tomado nada en la última semana.',
    stimulant: '¿Ha tomado hoy un estimulante o un analgésico opioide?',
    heldMedications: '¿Ha dejado de tomar los medicamentos que su equipo de atención le pidió suspender?',
    bpReadings: 'Dos mediciones de la presión arterial sentado, con unos minutos de diferencia',
    recheckLegend: 'Una tercera medición, solo si esta página se la pide',
    recheckUpper: 'Después de descansar: número de arriba (sistólica, mmHg)',
    recheckLower: 'Después de descansar: número de abajo (diastólica, mmHg)',
    pregnancy: '¿Está embarazada, planea quedar embarazada o está amamantando?',
    noDriving: '¿Acepta no manejar hasta mañana por la mañana?',
    submit: 'Enviar mi registro',
    emergency:
      'No tome la dosis de hoy. Vaya ahora a un servicio de urgencias o llame a su número local de emergencias.',
    careTeamTold: 'Ya se le avisó a su equipo de atención.',
    bpCrisis:
      'No tome la dosis de hoy. Su presión arterial sigue muy alta, así que su equipo de atención se comunicará con usted hoy.',
    bpCrisisWarning:
      'Si tiene dolor de pecho, falta de aire, dolor de espalda, entumecimiento o debilidad, un cambio en la vista o dificultad para hablar, llame al 911 ahora.',
    postponed: 'La sesión de hoy se pospone. Por favor, no tome la dosis de hoy.',
    earliestNewTime: 'La nueva hora más próxima es el',
    careTeamWillConfirm: 'Su equipo de atención se la confirmará.',
    cleared: 'Puede hacer la sesión de hoy.',
    clearedAdvice: 'Siga sus indicaciones de preparación y no maneje hasta mañana por la mañana.',
  },

  preparation: {
    addToCalendar: 'Agregar a mi calendario',
    calendarHint: '(un archivo .ics para el calendario de su teléfono o computadora)',
    checkInComes: (hours) =>
      `Un breve formulario de registro le llegará por correo electrónico ${hours} horas antes de la sesión. Tenga con usted a un adulto que pueda quedarse durante toda la sesión, y no planee manejar hasta la mañana siguiente.`,
    calendarTitle: 'Cita con su equipo de atención',
  },

  consult: {
    on: 'Su cita por video es el',
    timeToCome: 'Su clínica le dirá la hora de su cita por video.',
    joinToCome: 'Su clínica le enviará la forma de unirse a la llamada.',
    join: 'Unirse a la videollamada',
    joinHint: (host) =>
      `Abre el servicio de video en ${host}. Únase unos minutos antes, en un lugar tranquilo y privado.`,
    calendarTitle: 'Cita por video con su equipo de atención',
  },

  journal: {
    text: '¿Cómo fue su sesión? Escriba tanto o tan poco como quiera.',
    mood: '¿Cómo se siente ahora, de 0 (lo peor) a 10 (lo mejor)? (opcional)',
    any: '¿Ha tenido algún efecto secundario desde su sesión?',
    anyHint: 'Por ejemplo, náuseas, mareo, dolor de cabeza o sentirse desconectado.',
    whichLegend: '¿Qué efectos secundarios, y qué tan fuertes?',
    whichHint: 'Deje "Ninguno" en lo que no haya tenido.',
    freeText: 'Algo más sobre cómo se siente (opcional)',
    submit: 'Enviar mi diario',
    noAnotherDose: 'No tome otra dosis hasta que su equipo de atención haya hablado con usted.',
    adverse:
      'Gracias. Lo que nos contó necesita la atención de su equipo de atención: ya se les avisó y se comunicarán con usted. No tome otra dosis hasta entonces. Si se siente mal ahora, llame a su número local de emergencias.',
    thanks: 'Gracias. Su diario se envió a su equipo de atención.',
  },

  assessment: {
    submit: 'Enviar mis respuestas',
    thanks: 'Gracias. Sus respuestas se enviaron a su equipo de atención.',
  },

  refillRequest: {
    lostOrStolen: '¿Esta solicitud es para reponer un suministro que se perdió o se lo robaron?',
    submit: 'Enviar mi solicitud',
    thanks: 'Gracias. Su solicitud se envió a su equipo de atención, que la revisará.',
  },

  recovery: {
    intro: 'Terminó la hora de su sesión. Responda antes de que se vaya el adulto que está con usted.',
    question: '¿Se ha recuperado (despierto, firme al estar de pie y pensando con claridad)?',
    yes: 'Sí: me he recuperado, y el adulto que está conmigo se puede ir',
    notYet: 'Todavía no: el adulto que está conmigo se quedará',
    submit: 'Enviar',
    hold: 'No tome otra dosis. Si se siente mal ahora, llame al 911 o vaya al servicio de urgencias más cercano. Pida al adulto que está con usted que se quede.',
    careTeamWillContact: 'Ya se le avisó a su equipo de atención, que se comunicará con usted.',
    recovered: 'Gracias. El adulto que está con usted se puede ir. No maneje hasta mañana por la mañana.',
    journalNext: 'A continuación recibirá el formulario de su diario.',
    keepAdult: 'Pida al adulto que está con usted que se quede hasta que se sienta completamente recuperado.',
    careTeamToday:
      'Ya se le avisó a su equipo de atención, que se comunicará con usted hoy. Si se siente peor, llame al 911.',
  },

  // the 988 Lifeline answers in Spanish: press 2 on a call, or text AYUDA (988lifeline.org, "What to expect")
  crisis: {
    intro: 'Si está pensando en hacerse daño, no tiene que esperarnos.',
    lifelineBefore: 'Llame al',
    lifelineAfter:
      '(988 Lifeline, la línea de prevención del suicidio y crisis) y oprima 2 para hablar en español, o envíe el mensaje de texto AYUDA al 988, a cualquier hora del día o de la noche. También puede chatear en 988lifeline.org.',
    emergencyBefore: 'Si está en peligro ahora, llame al',
    emergencyAfter: 'o vaya al servicio de urgencias más cercano.',
    answersGo: 'Sus respuestas se envían a su equipo de atención.',
  },

  status: {
    contact: 'Si cree que esto es un error, comuníquese con su clínica.',
    notFoundTitle: 'No se encontró el enlace',
    notFound: 'Este enlace no es válido. Verifique que abrió el enlace completo de su correo electrónico.',
    expiredTitle: 'Este enlace venció',
    expired: 'Este enlace ya no es válido. No se registró nada desde él.',
    supersededTitle: 'Este enlace fue reemplazado',
    superseded: 'Un correo electrónico más reciente tiene un enlace nuevo para este paso. Use ese, por favor.',
    alreadyDoneTitle: 'Ya está hecho',
    alreadyDone: (who, when) => `Esto ya lo decidió ${who} el ${when}. No se registró nada más.`,
    you: 'usted',
    someone: 'otra persona',
    anEarlierTime: 'un momento anterior',
    aClinician: 'un médico',
    clinicStaff: 'el personal de la clínica',
    thePatient: 'el paciente',
    stoppedTitle: 'Este paso se detuvo',
    stopped: 'Este paso se detuvo; su clínica se comunicará con usted.',
    wrongPurposeTitle: 'Este formulario no corresponde a este enlace',
    wrongPurpose: 'El formulario enviado no corresponde a este enlace. No se registró nada.',
    unsupportedTitle: 'No se pudo leer este formulario',
    unsupported:
      'Las respuestas no se enviaron de la forma en que esta página las envía, así que no se registró nada. Abra de nuevo el enlace de su correo electrónico y use el formulario de la página.',
    viewOnlyTitle: 'No hay nada que enviar',
    viewOnly: 'Esta página es solo informativa. No se registró nada.',
    tooManyTitle: 'Espere un momento, por favor',
    tooMany: 'Este enlace se usó demasiadas veces en el último minuto. Espere un minuto y vuelva a intentarlo.',
    methodTitle: 'No permitido',
    method: 'Esta página solo se puede abrir o enviar.',
    errorTitle: 'Algo salió mal',
    error: 'Es posible que su respuesta no se haya registrado. Vuelva a intentarlo en unos minutos.',
  },

  email: {
    greeting: (firstName) => (firstName ? `Hola, ${firstName}:` : 'Hola:'),
    openPage: 'Abrir la página segura',
    personal: 'Este enlace es personal; no reenvíe este correo electrónico.',
    signature: 'Su equipo de atención',
    formSubject: 'Tiene un breve formulario pendiente',
    form: (until) => `Tiene un breve formulario pendiente${until ? `; el enlace funciona hasta el ${until}` : ''}.`,
    formReminderSubject: 'Recordatorio: tiene un breve formulario pendiente',
    formReminder: 'Un recordatorio amable: su formulario todavía está pendiente.',
    recoverySubject: 'Pida a su acompañante que se quede con usted',
    recovery: (withLink) =>
      `Pida al adulto que está con usted que se quede hasta que nos haya dicho que se siente recuperado${withLink ? ' en la página segura de abajo' : ''}.`,
    consultSubject: 'Se acerca su cita',
    consult: (when, withLink) =>
      `Le recordamos que su cita por video es ${when ? `el ${when}` : 'pronto'}.${withLink ? ' En la página segura de abajo encontrará la forma de unirse a la llamada.' : ''}`,
    followUpSubject: 'Se acerca su cita de seguimiento',
    followUp: (when) =>
      `Le recordamos que su cita de seguimiento con su equipo de atención es ${when ? `el ${when}` : 'pronto'}.`,
    sessionPrepSubject: 'Su cita es mañana',
    sessionPrep: (when, withLink) =>
      `Le recordamos su cita ${when ? `del ${when}` : 'de mañana'}.${withLink ? ' Las indicaciones de preparación de su equipo de atención están en la página segura de abajo.' : ' Siga las indicaciones de preparación de su equipo de atención.'} Poco antes de la cita le llegará por correo electrónico un breve formulario de registro.`,
    refillWindowSubject: 'Es hora de su revisión mensual',
    refillWindow: 'Es hora de su revisión mensual. En breve le llegará un formulario corto.',
    contactClinicSubject: 'Comuníquese con nosotros, por favor',
    contactClinic: 'Gracias por su tiempo con nosotros. Comuníquese con la clínica para hablar de sus próximos pasos.',
  },
};

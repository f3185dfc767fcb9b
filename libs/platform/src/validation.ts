import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([key, message]) => ({ field, message: inFrench(key, message) }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

// class-validator speaks English; our users read French. The English text keeps the bounds.
const FRENCH: Record<string, string> = {
  whitelistValidation: 'champ inconnu : retirez-le',
  isDefined: 'champ obligatoire',
  isNotEmpty: 'ne doit pas être vide',
  isString: 'doit être du texte',
  isInt: 'doit être un nombre entier',
  isNumber: 'doit être un nombre',
  isBoolean: 'doit être true ou false',
  isEmail: 'doit être une adresse e-mail valide',
  isUuid: 'doit être un identifiant (UUID)',
  isDateString: 'doit être une date ISO 8601 (AAAA-MM-JJ)',
  isISO8601: 'doit être une date ISO 8601 (AAAA-MM-JJ)',
  isArray: 'doit être une liste',
  isObject: 'doit être un objet',
  nestedValidation: 'doit être un objet valide',
};

function inFrench(key: string, english: string): string {
  if (FRENCH[key]) return FRENCH[key];
  const values = /one of the following values: (.*)$/.exec(english);
  if (values) return `doit être l'une des valeurs : ${values[1]}`;
  const bound = /(\d+(?:\.\d+)?)/.exec(english)?.[1];
  switch (key) {
    case 'min': return `doit être supérieur ou égal à ${bound}`;
    case 'max': return `doit être inférieur ou égal à ${bound}`;
    case 'minLength': return `doit contenir au moins ${bound} caractères`;
    case 'maxLength': return `doit contenir au plus ${bound} caractères`;
    case 'arrayMinSize': return `doit contenir au moins ${bound} élément(s)`;
    case 'arrayMaxSize': return `doit contenir au plus ${bound} éléments`;
    default: return english;
  }
}

export function validationProblem(errors: ValidationError[]): ProblemException {
  const fields = flatten(errors);
  return new ProblemException(
    400,
    'validation-error',
    'Requête invalide',
    `${fields.length} champ(s) invalide(s) : ${[...new Set(fields.map((f) => f.field))].join(', ')}.`,
    { errors: fields },
  );
}

/** DTO validation for every endpoint: unknown fields are an error, not silently dropped. */
export function renumValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationProblem,
  });
}

import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, FieldError, ProblemException } from './problem';
import { refuseUnstorableText } from './storable-text';

// Checks of what a value is, not of its bounds: when one fails, the others (length, size, nested
// fields) only repeat it, so only it is shown: "doit être une liste", not also "au moins 1 élément".
const KIND_CHECKS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']);

/** The messages worth showing for one field: "champ obligatoire" for a missing one, else its first-order faults. */
function messagesOf(e: ValidationError): string[] {
  const failed = Object.entries(e.constraints ?? {});
  if (failed.length === 0) return [];
  if (e.value === undefined || e.value === null) return [FRENCH.isDefined];
  const kind = failed.filter(([key]) => KIND_CHECKS.has(key));
  return (kind.length ? kind : failed).map(([key, message]) => inFrench(key, message, e));
}

/** Messages that depend on the field: amounts are in cents, and a number refused for its decimals is one. */
function forField(key: string, e: ValidationError): string | undefined {
  if (key === 'isInt' && /Cents$/.test(e.property)) return 'montant en centimes : un nombre entier, sans virgule (par exemple 12000 pour 120,00 €)';
  if (key === 'isNumber' && typeof e.value === 'number' && Number.isFinite(e.value)) return 'trop de chiffres après la virgule';
  return undefined;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = messagesOf(e).map((message) => ({ field, message }));
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
  isIso8601: 'doit être une date ISO 8601 (AAAA-MM-JJ)',
  isArray: 'doit être une liste',
  isObject: 'doit être un objet',
  nestedValidation: 'doit être un objet valide',
};

function inFrench(key: string, english: string, e: ValidationError): string {
  const specific = forField(key, e);
  if (specific) return specific;
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
  const names = [...new Set(fields.map((f) => f.field))];
  return new ProblemException(
    400,
    'validation-error',
    'Requête invalide',
    `${names.length} champ(s) invalide(s) : ${names.join(', ')}.`,
    { errors: fields },
  );
}

/** A JSON body that is a list or a bare value, where an object is expected: one clear error, not a field per item. */
export const bodyNotAnObject = () => badRequest('Le corps de la requête doit être un objet JSON ({ … }).', [{ field: '(body)', message: 'doit être un objet JSON' }]);

/** Nest's pipe, told first that a body meant for a DTO must be an object. */
class RenumValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'body' || metadata.type === 'query') refuseUnstorableText(value, metadata.data ?? '');
    if (metadata.type === 'body' && this.toValidate(metadata) && (typeof value !== 'object' || value === null || Array.isArray(value))) throw bodyNotAnObject();
    return super.transform(value, metadata);
  }
}

/** DTO validation for every endpoint: unknown fields are an error, not silently dropped. */
export function renumValidationPipe(): ValidationPipe {
  return new RenumValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationProblem,
  });
}

/** `@Transform(trim)`: a string without its edge spaces (pasted from a spreadsheet). */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * `@Transform(asName)`: a name as people type it once and look it up later: Unicode NFC (an « É »
 * typed as E + accent is the one character), one space between words, no edge spaces.
 */
export const asName = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : value);

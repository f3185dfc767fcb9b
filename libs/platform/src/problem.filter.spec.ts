import { BadRequestException, NotFoundException, ParseUUIDPipe, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ProblemException } from './problem';
import { toProblem } from './problem.filter';

/** What Nest hands the filter for errors raised outside our code, as Nest wraps them. */
describe('toProblem: errors from libraries are told in French', () => {
  it('keeps problem documents our own code produces', () => {
    const own = new ProblemException(404, 'not-found', 'Introuvable', 'Appareil introuvable ou non visible pour votre organisation.');
    expect(toProblem(own)).toEqual(own.problem);
  });

  it("names the method and path of Express's unknown route, without the query", () => {
    expect(toProblem(new NotFoundException('Cannot DELETE /api/v1/nope?token=x'))).toEqual({
      type: 'https://renum.fr/problems/not-found',
      title: 'Introuvable',
      status: 404,
      detail: 'Aucune ressource DELETE /api/v1/nope : vérifiez l’adresse et la méthode.',
    });
  });

  it.each([
    ["Expected ',' or '}' after property value in JSON at position 19", ' (position 19)'],
    ["Expected ',' or '}' after property value in JSON at position 19 (line 1 column 20)", ' (position 19)'],
    ['Unexpected end of JSON input', ''],
    ['Unexpected token \'a\', "abc" is not valid JSON', ''],
  ])('a malformed JSON body (%s) is a validation error', (message, position) => {
    expect(toProblem(new BadRequestException(message))).toEqual({
      type: 'https://renum.fr/problems/validation-error',
      title: 'Requête invalide',
      status: 400,
      detail: `Le corps de la requête n'est pas du JSON valide${position}.`,
      errors: [{ field: '(body)', message: 'doit être du JSON valide' }],
    });
  });

  it('names the path parameter ParseUUIDPipe refused', async () => {
    const refused = await new ParseUUIDPipe().transform('abc', { type: 'param', data: 'id' }).catch((e: unknown) => e);
    const problem = toProblem(refused, { params: { id: 'abc', other: '0190f5a2-7b3c-7d4e-8f60-123456789abc' } });
    expect(problem).toMatchObject({ status: 400, type: 'https://renum.fr/problems/validation-error', errors: [{ field: 'id', message: 'identifiant invalide : un UUID est attendu' }] });
    expect(problem.detail).toBe('Paramètre invalide (id) : identifiant invalide : un UUID est attendu.');
  });

  it.each([
    ['Unexpected file field - other', 400, /« other » : envoyez un seul fichier, dans le champ « file »/],
    ['Unexpected field - other', 400, /« other »/],
    ['Too many files', 400, /^Trop de fichiers : envoyez un seul fichier, dans le champ « file »\.$/],
    ['Field value too long - comment', 400, /^Une valeur d'un champ du formulaire est trop longue/],
    ['Multipart: Unexpected end of form', 400, /^Le formulaire multipart est mal formé ou incomplet/],
    ['File too large', 413, /^Le fichier dépasse la taille autorisée\.$/],
  ])('multer: %s', (message, status, detail) => {
    const exception = status === 413 ? new PayloadTooLargeException(message) : new BadRequestException(message);
    const problem = toProblem(exception);
    expect(problem.status).toBe(status);
    expect(problem.detail).toMatch(detail);
  });

  it("body-parser's too large body and the throttler's 429 are French", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(toProblem(tooLarge)).toMatchObject({ status: 413, title: 'Contenu trop volumineux', detail: 'Le corps de la requête dépasse 8 Mo : envoyez les matériels en plusieurs fois.' });
    expect(toProblem(new ThrottlerException())).toMatchObject({ status: 429, title: 'Trop de requêtes', detail: 'Trop de requêtes : patientez un peu avant de réessayer.' });
  });

  it('never passes an unknown library message through, and hides 500 details', () => {
    expect(toProblem(new BadRequestException('Some English message'))).toEqual({ type: 'https://renum.fr/problems/bad-request', title: 'Requête invalide', status: 400, detail: 'Requête invalide.' });
    expect(toProblem(new Error('relation "x" does not exist')).detail).toMatch(/^Une erreur inattendue/);
  });
});
